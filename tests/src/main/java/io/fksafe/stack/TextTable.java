package io.fksafe.stack;

import java.util.ArrayList;
import java.util.List;

/** Result sets drawn the way {@code mariadb -t} draws them, and two such drawings side by side. */
public final class TextTable {

    private TextTable() {}

    public static List<String> draw(List<String> columns, List<List<String>> rows) {
        int[] w = new int[columns.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = columns.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], text(r.get(i)).length());
            }
        }
        StringBuilder rule = new StringBuilder("+");
        for (int x : w) {
            rule.append("-".repeat(x + 2)).append('+');
        }
        List<String> out = new ArrayList<>();
        out.add(rule.toString());
        out.add(line(columns, w));
        out.add(rule.toString());
        for (List<String> r : rows) {
            out.add(line(r, w));
        }
        out.add(rule.toString());
        return out;
    }

    public static List<String> draw(Db.Result r) {
        return draw(r.columns(), r.rows());
    }

    /** Left and right, padded to the widest left line; lines that differ are marked. */
    public static List<String> sideBySide(String leftTitle, List<String> left, String rightTitle, List<String> right) {
        int w = leftTitle.length();
        for (String l : left) {
            w = Math.max(w, l.length());
        }
        List<String> out = new ArrayList<>();
        out.add(pad(leftTitle, w) + "   " + rightTitle);
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            String l = i < left.size() ? left.get(i) : "";
            String r = i < right.size() ? right.get(i) : "";
            out.add(pad(l, w) + (l.equals(r) ? "   " : " ≠ ") + r);
        }
        return out;
    }

    private static String line(List<String> cells, int[] w) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < w.length; i++) {
            String t = text(cells.get(i));
            boolean number = t.matches("-?[0-9]+(\\.[0-9]+)?");
            b.append(' ')
                    .append(number ? " ".repeat(w[i] - t.length()) + t : pad(t, w[i]))
                    .append(" |");
        }
        return b.toString();
    }

    private static String text(String s) {
        return s == null ? "NULL" : s;
    }

    static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
