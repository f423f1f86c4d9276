package io.influxrelay.testing;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.util.List;

/** Reads a relay's MBeans the way JConsole or Hawtio's JMX view would: over a local JMX port. */
public final class Jmx {
    private final int port;

    private Jmx(int port) {
        this.port = port;
    }

    public static Jmx onFreePort() {
        return new Jmx(FreePorts.next());
    }

    /** JVM flags that open the port, loopback only, for tests. */
    public List<String> jvmArgs() {
        return List.of(
                "-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false");
    }

    public Object attribute(String objectName, String attribute) {
        try (JMXConnector c = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"))) {
            MBeanServerConnection server = c.getMBeanServerConnection();
            return server.getAttribute(new ObjectName(objectName), attribute);
        } catch (Exception e) {
            throw new IllegalStateException("JMX read of " + objectName + " " + attribute + " failed: " + e, e);
        }
    }

    /** Calls an operation without arguments, as JConsole's button would: no Jolokia policy in between. */
    public Object invoke(String objectName, String operation) {
        try (JMXConnector c = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"))) {
            return c.getMBeanServerConnection().invoke(new ObjectName(objectName), operation, new Object[0], new String[0]);
        } catch (Exception e) {
            throw new IllegalStateException("JMX call of " + objectName + " " + operation + " failed: " + e, e);
        }
    }
}
