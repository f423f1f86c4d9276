# The relay as an image: built with Maven, run with the project's config/ and routes/.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
RUN mvn -B -ntp -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /relay
COPY --from=build /src/target/influxdb-relay.jar /relay/influxdb-relay.jar
COPY config /relay/config
COPY routes /relay/routes
COPY bin/relay /relay/bin/relay
# bin/relay gives the JVM its memory flags (heap sized from the buffers) and the class-data archive
ENV RELAY_HOME=/relay RELAY_JAR=/relay/influxdb-relay.jar
EXPOSE 9096
ENTRYPOINT ["/relay/bin/relay"]
