package io.fksafe.stack;

import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

/**
 * The Connect worker JVM's heap during one drain, from the notification its JVM sends at the end of every garbage
 * collection (so no collection is missed between samples, and nothing is polled while the drain runs).
 *
 * <p>The live heap is what is left right after a collection. The pools' {@code getCollectionUsage()} would not do with
 * the worker's serial collector: the old generation's value only changes at a full collection, so between full
 * collections it would report a stale figure. The notification carries every pool's usage after that collection
 * instead. After a young collection that sum still holds the old generation's garbage not yet collected (an upper
 * bound of the live heap); after a full one it is the live heap itself. Both peaks are kept. A worker with a
 * gigabyte of heap may go through a whole drain without a full collection, so {@code --exact-heap} has it run one
 * every {@link #PROBE} (through its {@code Memory} MBean, like {@code jcmd <pid> GC.run}): exact, at a cost in speed.
 */
final class BenchHeap implements AutoCloseable {

    private static final long MIB = 1024 * 1024;
    /** How often {@code --exact-heap} has the worker collect its whole heap. */
    static final Duration PROBE = Duration.ofSeconds(2);

    /**
     * What one drain saw. {@code afterGc}: the highest heap occupancy right after any collection during the drain;
     * {@code afterFull}: the heap after each full collection, in order (the live heap at those moments); {@code used}:
     * the highest raw occupancy (just before a collection, or at the drain's start or end), garbage included;
     * {@code max}: -Xmx.
     */
    record Peak(long max, long afterGc, int gcs, List<Long> afterFull, long used) {

        int fullGcs() {
            return afterFull.size();
        }

        long afterFullGc() {
            return afterFull.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /**
         * The live-heap figure: the peak after a full collection (the live heap at that moment); without one, the peak
         * after a young collection or, without any, the used heap at the end (both above the live heap).
         */
        long live() {
            return fullGcs() > 0 ? afterFullGc() : gcs > 0 ? afterGc : used;
        }

        long liveMib() {
            return (live() + MIB - 1) / MIB;
        }

        /** Where {@link #live} comes from: full_gc (exact), young_gc or no_gc (upper bounds). */
        String source() {
            return fullGcs() > 0 ? "full_gc" : gcs > 0 ? "young_gc" : "no_gc";
        }

        /** For the table: "182 MiB" after a full collection, "<= 364 MiB" for an upper bound. */
        String cell() {
            return (fullGcs() > 0 ? "" : "<= ") + mib(live());
        }

        String describe() {
            return String.format(
                    "%s after GC at most (%d collections during the drain, %d full%s); raw used up to %s; -Xmx %s",
                    gcs > 0 ? mib(afterGc) : "no collection: " + mib(used) + " used, so live heap <=",
                    gcs,
                    fullGcs(),
                    fullGcs() > 0 ? ": " + mib(afterFullGc()) + " after a full one at most" : "",
                    mib(used),
                    mib(max));
        }

        /** The live heap after each full collection, in MiB and in order: does it grow during the drain? */
        String series() {
            StringBuilder b = new StringBuilder();
            for (long bytes : afterFull) {
                b.append(b.length() == 0 ? "" : " ").append((bytes + MIB - 1) / MIB);
            }
            return b.toString();
        }
    }

    private final MBeanServerConnection mbeans;
    private final Set<String> heapPools = new HashSet<>();
    private final List<ObjectName> collectors = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    private final long max;
    private final ScheduledExecutorService probe;
    private final List<Long> afterFull = new ArrayList<>();
    private long afterGc;
    private long used;
    private int gcs;

    private BenchHeap(MBeanServerConnection mbeans, boolean exact) throws IOException, JMException {
        this.mbeans = mbeans;
        for (ObjectName pool : mbeans.queryNames(new ObjectName("java.lang:type=MemoryPool,*"), null)) {
            if ("HEAP".equals(mbeans.getAttribute(pool, "Type"))) {
                heapPools.add((String) mbeans.getAttribute(pool, "Name"));
            }
        }
        MemoryUsage now = heapUsage();
        this.max = maxHeapSize(now.getMax());
        this.used = now.getUsed();
        collectors.addAll(mbeans.queryNames(new ObjectName("java.lang:type=GarbageCollector,*"), null));
        for (ObjectName gc : collectors) {
            mbeans.addNotificationListener(gc, listener, null, null);
        }
        this.probe = exact ? Executors.newSingleThreadScheduledExecutor() : null;
        if (exact) {
            ObjectName memory = new ObjectName("java.lang:type=Memory");
            probe.scheduleWithFixedDelay(
                    () -> {
                        try {
                            mbeans.invoke(memory, "gc", null, null);
                        } catch (IOException | JMException e) {
                            // the next probe tries again; the drain's own checks notice a worker that is gone
                        }
                    },
                    PROBE.toMillis(),
                    PROBE.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Starts listening to the worker's collections; {@code exact}: and has it collect its whole heap now and then. */
    static BenchHeap watch(WorkerJvm worker, boolean exact) throws IOException {
        try {
            return new BenchHeap(worker.mbeans(), exact);
        } catch (JMException e) {
            throw new IOException("reading the worker's heap: " + e.getMessage(), e);
        }
    }

    /** Stops listening; the peaks since {@link #watch}. */
    Peak stop() throws IOException {
        stopProbe();
        long end;
        try {
            end = heapUsage().getUsed();
        } catch (JMException e) {
            throw new IOException("reading the worker's heap: " + e.getMessage(), e);
        }
        close();
        synchronized (this) {
            used = Math.max(used, end);
            return new Peak(max, afterGc, gcs, List.copyOf(afterFull), used);
        }
    }

    @Override
    public void close() {
        stopProbe();
        for (ObjectName gc : collectors) {
            try {
                mbeans.removeNotificationListener(gc, listener);
            } catch (IOException | JMException gone) {
                // the worker went away or the listener was removed already: nothing left to stop
            }
        }
        collectors.clear();
    }

    private void stopProbe() {
        if (probe != null) {
            probe.shutdownNow();
            try {
                probe.awaitTermination(30, TimeUnit.SECONDS); // a collection under way finishes and is counted
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        GcInfo gc = info.getGcInfo();
        long before = heap(gc.getMemoryUsageBeforeGc());
        long after = heap(gc.getMemoryUsageAfterGc());
        synchronized (this) {
            gcs++;
            used = Math.max(used, before);
            afterGc = Math.max(afterGc, after);
            if (info.getGcAction().contains("major")) { // "end of major GC": the whole heap was collected
                afterFull.add(after);
            }
        }
    }

    private long heap(Map<String, MemoryUsage> pools) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : pools.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                sum += e.getValue().getUsed();
            }
        }
        return sum;
    }

    private MemoryUsage heapUsage() throws IOException, JMException {
        return MemoryUsage.from(
                (CompositeData) mbeans.getAttribute(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage"));
    }

    /** -Xmx as given (the heap's own maximum leaves out one survivor space under the serial collector). */
    private long maxHeapSize(long fallback) {
        try {
            CompositeData option = (CompositeData) mbeans.invoke(
                    new ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                    "getVMOption",
                    new Object[] {"MaxHeapSize"},
                    new String[] {String.class.getName()});
            return Long.parseLong((String) option.get("value"));
        } catch (IOException | JMException | RuntimeException e) {
            return fallback;
        }
    }

    static String mib(long bytes) {
        return String.format("%,d MiB", (bytes + MIB - 1) / MIB);
    }
}
