package io.fksafe.change;

import org.apache.kafka.connect.data.Struct;

/** For the transform's tests in other packages: does a record written into this Struct wait for the sink here? */
public final class HandOverProbe {

    private HandOverProbe() {}

    public static boolean waiting(Struct s) {
        return HandOver.waiting(s);
    }
}
