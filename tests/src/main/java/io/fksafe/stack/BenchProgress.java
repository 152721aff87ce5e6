package io.fksafe.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far capture and each sink have got, in records: topic end offsets, committed offsets, fksafe's checkpoint. */
final class BenchProgress {

    private BenchProgress() {}

    /** The sum of the end offsets of single-partition topics; a topic not created yet counts 0. */
    static long endOffsets(Admin admin, List<String> topics) throws Exception {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> req = new LinkedHashMap<>();
        for (String t : topics) {
            if (existing.contains(t)) {
                req.put(new TopicPartition(t, 0), OffsetSpec.latest());
            }
        }
        if (req.isEmpty()) {
            return 0;
        }
        long sum = 0;
        for (var e : admin.listOffsets(req).all().get(30, TimeUnit.SECONDS).values()) {
            sum += e.offset();
        }
        return sum;
    }

    /** Records whose offsets the sink's consumer group committed. */
    static long consumed(Admin admin, String connector) {
        try {
            long sum = 0;
            for (OffsetAndMetadata o : admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .values()) {
                sum += o == null ? 0 : o.offset();
            }
            return sum;
        } catch (Exception e) {
            return 0;
        }
    }

    /** The fksafe sink's checkpoint (next offset) for the topic, from the target. */
    static long checkpoint(Db target, String connector, String topic) {
        if (target.count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'fksafe' "
                        + "AND TABLE_NAME = 'fksafe_checkpoint'")
                == 0) {
            return 0; // the sink has not created it yet
        }
        List<List<String>> r = target.query("SELECT next_offset FROM fksafe.fksafe_checkpoint WHERE connector = '"
                + connector + "' AND topic = '" + topic + "'");
        return r.isEmpty() ? 0 : Long.parseLong(r.get(0).get(0));
    }
}
