package io.fksafe.stack;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * The MBeans of the JVM that runs the Connect worker, as an operator's JMX tool reaches them: attached by PID through
 * the JDK's attach API, which starts the JVM's local management agent (same user, no JMX port opened). A worker in
 * this very JVM (the e2e tests' embedded cluster) is read from the platform MBean server instead: a JVM may not attach
 * to itself unless started with {@code -Djdk.attach.allowAttachSelf=true}.
 */
public final class WorkerJvm implements AutoCloseable {

    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;

    private WorkerJvm(long pid, JMXConnector connector, MBeanServerConnection mbeans) {
        this.pid = pid;
        this.connector = connector;
        this.mbeans = mbeans;
    }

    public static WorkerJvm attach(long pid) throws IOException {
        if (pid == ProcessHandle.current().pid()) {
            return new WorkerJvm(pid, null, ManagementFactory.getPlatformMBeanServer());
        }
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to the worker (pid " + pid + "): " + e.getMessage(), e);
        }
        JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address));
        return new WorkerJvm(pid, c, c.getMBeanServerConnection());
    }

    public long pid() {
        return pid;
    }

    public MBeanServerConnection mbeans() {
        return mbeans;
    }

    @Override
    public void close() throws IOException {
        if (connector != null) {
            connector.close();
        }
    }
}
