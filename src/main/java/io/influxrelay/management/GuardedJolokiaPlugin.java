package io.influxrelay.management;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.Utils;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.json.JsonObject;

/**
 * Camel's Jolokia plugin for the management server with {@link JolokiaGuard} in front of it. Bound in
 * the registry under the plugin's id, it is found before the default one. Jolokia's own policy file
 * cannot tell a GET from a POST per command, and Camel's plugin takes no restrictor class of our own.
 */
public final class GuardedJolokiaPlugin extends ServiceSupport implements JolokiaPlatformHttpPlugin {
    private final DefaultJolokiaPlatformHttpPlugin jolokia = new DefaultJolokiaPlatformHttpPlugin();
    private final JolokiaGuard guard;
    private Handler<RoutingContext> handler;

    public GuardedJolokiaPlugin(JolokiaGuard guard) {
        this.guard = guard;
    }

    @Override
    public String getId() {
        return NAME;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        jolokia.setCamelContext(camelContext);
    }

    @Override
    public CamelContext getCamelContext() {
        return jolokia.getCamelContext();
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(jolokia);
        @SuppressWarnings("unchecked")
        Handler<RoutingContext> inner = (Handler<RoutingContext>) jolokia.getHandler();
        handler = ctx -> {
            String why = refusal(ctx);
            if (why == null) {
                inner.handle(ctx);
            } else {
                refuse(ctx, why);
            }
        };
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(jolokia);
    }

    @Override
    public Object getHandler() {
        return handler;
    }

    private String refusal(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String origin = req.getHeader("Origin");
        if (origin == null) {
            origin = req.getHeader("Referer");
        }
        String body = ctx.body() == null ? null : ctx.body().asString();
        return guard.refusal(req.method().name(), Utils.pathOffset(req.path(), ctx), req.getParam("p"), origin, body);
    }

    /** Jolokia's own shape for a refused request. */
    private static void refuse(RoutingContext ctx, String why) {
        JsonObject answer = new JsonObject();
        answer.put("error_type", SecurityException.class.getName());
        answer.put("error", why);
        answer.put("status", 403);
        ctx.response().setStatusCode(403).putHeader("Content-Type", "application/json").end(answer.toJson());
    }
}
