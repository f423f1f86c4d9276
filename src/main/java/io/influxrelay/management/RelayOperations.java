package io.influxrelay.management;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

import java.nio.charset.StandardCharsets;

/**
 * The relay's own operations (check, resync, the ledger, jobs) under /relay/ on the management port,
 * beside Jolokia, never on the public write port. Each request becomes an exchange for the route
 * {@code direct:management} (routes/management.yaml), which answers it. A POST is taken only without an
 * Origin or from a trusted one, as for Jolokia: no other site's page can start a resync.
 */
public final class RelayOperations {
    public static final String PATH = "/relay";
    private static final int MAX_BODY = 64 * 1024;

    private RelayOperations() {
    }

    /** Mounts the operations on the management server's router; false when there is no management server. */
    public static boolean mount(CamelContext context, JolokiaGuard guard) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return false;
        }
        Router router = server.getRouter();
        ProducerTemplate producer = context.createProducerTemplate();
        router.route(PATH + "/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .handler(ctx -> handle(ctx, producer, guard));
        return true;
    }

    private static void handle(RoutingContext ctx, ProducerTemplate producer, JolokiaGuard guard) {
        HttpMethod method = ctx.request().method();
        String origin = ctx.request().getHeader("Origin") != null ? ctx.request().getHeader("Origin") : ctx.request().getHeader("Referer");
        if (method != HttpMethod.GET && !guard.trusted(origin)) {
            respond(ctx, 403, "{\"error\":\"operations are only taken from the management port's own origin or without one\"}");
            return;
        }
        Context vertx = Vertx.currentContext();
        String body = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString(StandardCharsets.UTF_8.name());
        producer.asyncSend("direct:management", e -> {
            e.getIn().setHeader(Exchange.HTTP_METHOD, method.name());
            e.getIn().setHeader(Exchange.HTTP_PATH, ctx.request().path().substring(PATH.length()));
            e.getIn().setBody(body);
        }).whenComplete((done, failure) -> vertx.runOnContext(v -> {
            if (failure != null || done.getException() != null) {
                Throwable why = failure != null ? failure : done.getException();
                respond(ctx, 500, "{\"error\":" + io.influxrelay.http.Json.quote(String.valueOf(why.getMessage())) + "}");
                return;
            }
            byte[] answer = done.getMessage().getBody(byte[].class);
            respond(ctx, done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class),
                    answer == null ? "" : new String(answer, StandardCharsets.UTF_8));
        }));
    }

    private static void respond(RoutingContext ctx, int status, String json) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(json == null ? "" : json.endsWith("\n") ? json : json + "\n");
    }
}
