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
ENV RELAY_HOME=/relay
EXPOSE 9096
ENTRYPOINT ["java", "-jar", "/relay/influxdb-relay.jar"]
