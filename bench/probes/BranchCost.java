import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.lang.management.ManagementFactory;

/**
 * CPU per fan-out of K branches shaped like the relay's (a parallel, streaming recipientList on the thread at
 * hand, each branch direct:backend-i then direct:send-i with a few processors), with no HTTP in them and no
 * asynchronous hand-over: what Camel's routing of a backend request costs at least. Args: K.
 */
public class BranchCost {
    public static void main(String[] args) throws Exception {
        int k = Integer.parseInt(args[0]);
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("inline", new io.influxrelay.fanout.DirectExecutorService());
        AggregationStrategy first = (old, next) -> old == null ? next : old;
        StringBuilder recipients = new StringBuilder();
        for (int i = 1; i <= k; i++) {
            recipients.append(i > 1 ? "," : "").append("direct:backend-").append(i).append("?block=false");
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fan").recipientList(constant(recipients.toString())).parallelProcessing()
                        .executorService("#inline").streaming().aggregationStrategy(first);
                for (int i = 1; i <= k; i++) {
                    from("direct:backend-" + i).choice().when(e -> true).to("direct:send-" + i + "?block=false").end();
                    from("direct:send-" + i).process(e -> e.setProperty("sentAt", System.nanoTime()))
                            .process(e -> e.getIn().setHeader("CamelHttpResponseCode", 204))
                            .process(e -> e.setProperty("reply", e.getIn().getHeader("CamelHttpResponseCode")));
                }
            }
        });
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        byte[] body = new byte[100];
        for (long end = System.nanoTime() + 15_000_000_000L; System.nanoTime() < end; ) {
            template.sendBody("direct:fan", body); // the JIT's warm-up
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        int n = 0;
        for (long end = System.nanoTime() + 15_000_000_000L; System.nanoTime() < end; n++) {
            template.sendBody("direct:fan", body);
        }
        System.out.printf("%d branches: %.2f us CPU per fan-out%n", k, (os.getProcessCpuTime() - cpu0) / 1000.0 / n);
        System.exit(0);
    }
}
