package io.influxrelay.backend;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * relay.auto-create-database: a backend that refuses a write with 404 "database not found" (a replica
 * rebuilt empty) gets the database created, and the write is sent again. The database is created as
 * InfluxDB's CREATE DATABASE makes it (its default retention policy); other retention policies are not
 * guessed.
 */
public final class MissingDatabases {
    private static final Logger LOG = LoggerFactory.getLogger(MissingDatabases.class);
    private static final HttpClient PLAIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final BackendConfig backend;
    /** Shared when plain (each client holds a selector thread); an https backend's own (its CAs) */
    private final HttpClient client;

    public MissingDatabases(BackendConfig backend) {
        this.backend = backend;
        this.client = backend.https() ? BackendTls.javaClient(backend).version(HttpClient.Version.HTTP_1_1).build() : PLAIN;
    }

    /** InfluxDB's answer to a write into a database it does not have. */
    public static boolean missingDatabase(int status, String body) {
        return status == 404 && body != null && body.contains("database not found");
    }

    /** Creates the database a write's query string names (db=...). */
    public boolean createFor(String writeQuery, String clientAuthorization) {
        String db = new io.influxrelay.write.QueryString(writeQuery).get("db");
        return db != null && create(db, clientAuthorization);
    }

    /** Creates the database on the backend, with the client's credentials or the backend's; true when it exists now. */
    public boolean create(String db, String clientAuthorization) {
        String q = "CREATE DATABASE " + Json.quote(db);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend.endpoint("/query")))
                .timeout(backend.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)));
        String authorization = clientAuthorization != null ? clientAuthorization : backend.authorization();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean created = answer.statusCode() == 200 && !answer.body().contains("\"error\"");
            if (created) {
                LOG.warn("backend {} had no database {}: created it (relay.auto-create-database)", backend.name(),
                        io.influxrelay.log.LogText.escape(db));
            }
            return created;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
