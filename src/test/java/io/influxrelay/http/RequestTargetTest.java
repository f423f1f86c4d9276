package io.influxrelay.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestTargetTest {

    @Test
    void aWellFormedTargetIsLeftAlone() throws Exception {
        assertThat(RequestTarget.normalize("/write?db=my%20db&rp=autogen&precision=s"))
                .isEqualTo("/write?db=my%20db&rp=autogen&precision=s");
        assertThat(RequestTarget.normalize("/ping")).isEqualTo("/ping");
    }

    @Test
    void pairsWithABadEscapeAreDroppedAsGoDoes() throws Exception {
        assertThat(RequestTarget.normalize("/write?db=%zz")).isEqualTo("/write?");
        assertThat(RequestTarget.normalize("/write?db=x&p=50%off&u=me")).isEqualTo("/write?db=x&u=me");
        assertThat(RequestTarget.normalize("/ping?x=%2")).isEqualTo("/ping?");
    }

    @Test
    void aBadEscapeInThePathIsRefused() {
        assertThatThrownBy(() -> RequestTarget.normalize("/wr%zzite?db=x"))
                .isInstanceOf(RequestTarget.Malformed.class).hasMessage("invalid URL escape \"%zz\"");
        assertThatThrownBy(() -> RequestTarget.normalize("/write\u0001"))
                .isInstanceOf(RequestTarget.Malformed.class);
    }

    @Test
    void charactersUriRefusesAreEncodedToTheSameValue() throws Exception {
        String target = RequestTarget.normalize("/query?q=SELECT \"v\" FROM m WHERE t =~ /a|b/ {}^`\\[]&db=\u00e9");
        URI uri = new URI(target);
        assertThat(URLDecoder.decode(uri.getRawQuery().split("&")[0], StandardCharsets.ISO_8859_1))
                .isEqualTo("q=SELECT \"v\" FROM m WHERE t =~ /a|b/ {}^`\\[]");
        assertThat(uri.getRawQuery()).endsWith("db=%E9");
    }

    /** Whatever printable ASCII a client sends without escapes, Camel can parse it and reads back the same. */
    @Property
    void anyPrintableQueryValueParsesAndDecodesUnchanged(
            @ForAll @CharRange(from = ' ', to = '~') @StringLength(max = 40) String value) throws Exception {
        String raw = value.replace("%", "").replace("&", "").replace("+", "");
        URI uri = new URI(RequestTarget.normalize("/query?q=" + raw));
        assertThat(URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8)).isEqualTo("q=" + raw);
    }
}
