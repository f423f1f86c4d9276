/**
 * What a {@code /query} request's {@code q} does, read without executing it: {@link
 * io.influxrelay.query.StatementClassifier} splits {@code q} into InfluxQL statements and tells reads (sent to one
 * backend) from changes (sent to every backend); {@link io.influxrelay.query.StatementSecrets} hides the passwords
 * of {@code q} before it is logged. Pure Java, no Camel: the {@code /query} endpoint builds on it.
 */
package io.influxrelay.query;
