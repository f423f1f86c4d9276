package io.influxrelay.write;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class V2WriteReaderTest {

    private static String v1(String v2Query) throws ClientError {
        return V2WriteReader.v1Query(new QueryString(v2Query));
    }

    @Test
    void theBucketNamesTheDatabaseAndRetentionPolicy() throws ClientError {
        assertThat(v1("org=o&bucket=telegraf")).isEqualTo("db=telegraf&precision=n");
        assertThat(v1("bucket=telegraf/autogen&org=o")).isEqualTo("db=telegraf&rp=autogen&precision=n");
        assertThat(v1("bucket=telegraf/")).isEqualTo("db=telegraf&precision=n");
        assertThat(v1("bucket=my%20db/one%2Fweek")).isEqualTo("db=my%20db&rp=one%2Fweek&precision=n");
    }

    @Test
    void precisionsAreSpelledAs1xTakesThem() throws ClientError {
        assertThat(v1("bucket=d&precision=ns")).endsWith("precision=n");
        assertThat(v1("bucket=d&precision=us")).endsWith("precision=u");
        assertThat(v1("bucket=d&precision=ms")).endsWith("precision=ms");
        assertThat(v1("bucket=d&precision=s")).endsWith("precision=s");
        assertThatThrownBy(() -> v1("bucket=d&precision=h")).isInstanceOfSatisfying(ClientError.class,
                e -> assertThat(e.status).isEqualTo(400));
    }

    @Test
    void aBucketWithoutADatabaseIs404AsIn18() {
        assertThatThrownBy(() -> v1("org=o")).isInstanceOfSatisfying(ClientError.class, e -> {
            assertThat(e.status).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo("bucket name \"\" is missing a slash; not in \"database/retention-policy\" format");
        });
        assertThatThrownBy(() -> v1("bucket=/autogen")).isInstanceOfSatisfying(ClientError.class,
                e -> assertThat(e.getMessage()).contains("has an empty database"));
    }

    @Test
    void credentialsInTheQueryPassOn() throws ClientError {
        assertThat(v1("bucket=d&u=me&p=p%26w")).isEqualTo("db=d&precision=n&u=me&p=p%26w");
    }

    @Test
    void aUserPasswordTokenBecomesBasicAndABareTokenIsDropped() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("me:pa:ss".getBytes(StandardCharsets.UTF_8));
        assertThat(V2WriteReader.basicFromToken("Token me:pa:ss")).isEqualTo(basic);
        assertThat(V2WriteReader.basicFromToken("token me:pa:ss")).isEqualTo(basic);
        assertThat(V2WriteReader.basicFromToken("Token my-2x-token")).isNull();
        assertThat(V2WriteReader.basicFromToken("Basic abc")).isEqualTo("Basic abc");
        assertThat(V2WriteReader.basicFromToken(null)).isNull();
    }
}
