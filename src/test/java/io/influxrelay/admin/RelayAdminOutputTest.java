package io.influxrelay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RelayAdminOutputTest {
    private final Reports reports = new Reports("→");

    static Job job(String json) {
        try {
            return new Job(RelayClient.JSON.readTree(json.replace('\'', '"')));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theProgressLine() {
        Job running = job("{'id':'resync-3','kind':'resync','state':'running','from':'a','to':'b','elapsedSeconds':8.2,"
                + "'progress':{'done':12,'total':30,'points':1230000}}");
        assertThat(ProgressLine.of(running, "→"))
                .isEqualTo("resync a → b  [########------------]   40%  12/30 chunks  1.2M points  150k pts/s  0:08");
        Job starting = job("{'kind':'check','state':'running','from':'a','to':'b','elapsedSeconds':0,'progress':null}");
        assertThat(ProgressLine.of(starting, "->")).isEqualTo("check a -> b  [--------------------]   --%  0 points  0:00");
        Job whole = job("{'kind':'resync','from':'a','to':'b','elapsedSeconds':3725,'progress':{'done':7,'total':7,'points':999}}");
        assertThat(ProgressLine.of(whole, "→")).contains("[####################]  100%  7/7 chunks  999 points  0 pts/s  1:02:05");
    }

    @Test
    void numbers() {
        assertThat(Numbers.compact(999)).isEqualTo("999");
        assertThat(Numbers.compact(1_000)).isEqualTo("1.0k");
        assertThat(Numbers.compact(149_999.7)).isEqualTo("150k");
        assertThat(Numbers.compact(999_960)).isEqualTo("1.0M");
        assertThat(Numbers.compact(4.5e9)).isEqualTo("4.5G");
        assertThat(Numbers.sum(1.2000000000000002)).isEqualTo("1.2");
        assertThat(Numbers.sum(12)).isEqualTo("12");
        assertThat(Numbers.sum(1e15)).isEqualTo("1000000000000000");
        assertThat(Numbers.sum(-0.25)).isEqualTo("-0.25");
        assertThat(Numbers.elapsed(59.9)).isEqualTo("0:59");
        assertThat(Numbers.elapsed(61)).isEqualTo("1:01");
    }

    @Test
    void tablesAlignNumbersRight() {
        String t = new Table("NAME", "COUNT>").row("a", "1").row("longer", "1,000").toString();
        assertThat(t).isEqualTo("""
                NAME    COUNT
                a           1
                longer  1,000
                """);
    }

    @Test
    void aCheckThatFoundDifferences() {
        Job check = job("{'id':'check-1','kind':'check','state':'done','from':'a','to':'b','start':'2026-11-30T00:00:00Z',"
                + "'end':'2026-11-30T02:00:00Z','result':{'agrees':false,'windows':2,'fromPoints':21,'toPoints':19,'differences':["
                + "{'rp':'autogen','measurement':'cpu','field':'usage','windowStart':'2026-11-30T00:00:00Z','windowEnd':'2026-11-30T01:00:00Z','fromCount':10,'toCount':9,'fromSum':1.5,'toSum':1.2000000000000002},"
                + "{'rp':'autogen','measurement':'cpu','field':'state','windowStart':'2026-11-30T00:00:00Z','windowEnd':'2026-11-30T01:00:00Z','fromCount':1000,'toCount':0,'fromSum':null,'toSum':null}]}}");
        assertThat(reports.check(check)).isEqualTo("""
                RP       MEASUREMENT  FIELD  WINDOW START          WINDOW END            a COUNT  b COUNT  a SUM  b SUM
                autogen  cpu          usage  2026-11-30T00:00:00Z  2026-11-30T01:00:00Z       10        9    1.5    1.2
                autogen  cpu          state  2026-11-30T00:00:00Z  2026-11-30T01:00:00Z    1,000        0      -      -

                1 of 2 windows differs between a and b over 2026-11-30T00:00:00Z .. 2026-11-30T02:00:00Z (21 points on a, 19 on b)
                """);
    }

    @Test
    void aCheckThatAgrees() {
        Job check = job("{'kind':'check','state':'done','from':'a','to':'b','start':'2026-11-30T00:00:00Z','end':'2026-12-01T00:00:00Z',"
                + "'result':{'agrees':true,'windows':24,'fromPoints':12345,'toPoints':12345,'differences':[]}}");
        assertThat(reports.check(check))
                .isEqualTo("a and b agree over 2026-11-30T00:00:00Z .. 2026-12-01T00:00:00Z (24 windows, 12,345 points on each)\n");
    }

    @Test
    void aResyncSummary() throws Exception {
        Job resync = new Job(RelayClient.JSON.readTree("""
                {"kind":"resync","state":"done","from":"a","to":"b","start":"2026-11-30T00:00:00Z","end":"2026-12-01T00:00:00Z",
                 "elapsedSeconds":8.4,"result":{"points":1234567,"batches":42,"pointsPerSecond":146972.3,
                 "createdDatabases":["mydb"],"createdRetentionPolicies":["mydb.\\"autogen\\""]}}"""));
        assertThat(reports.resync(resync)).isEqualTo("""
                resync a → b done in 0:08: 2026-11-30T00:00:00Z .. 2026-12-01T00:00:00Z
                  points copied               1,234,567
                  batches                     42
                  rate                        147k points/s
                  created databases           mydb
                  created retention policies  mydb."autogen"
                """);
    }

    @Test
    void theLedgerAndTheJobs() throws Exception {
        JsonNode ledger = RelayClient.JSON.readTree(("{'backends':{'b':[{'db':'mydb','rp':'','start':'2026-11-30T10:00:00Z',"
                + "'end':'2026-11-30T10:05:00Z','points':123,'reasons':['buffer full'],'since':'2026-11-30T10:06:00Z'}],'c':[]}}").replace('\'', '"'));
        assertThat(reports.missing(ledger)).isEqualTo("""
                BACKEND  DB    RP         START                 END                   POINTS  REASONS      SINCE
                b        mydb  (default)  2026-11-30T10:00:00Z  2026-11-30T10:05:00Z     123  buffer full  2026-11-30T10:06:00Z
                """);
        assertThat(reports.missing(RelayClient.JSON.readTree("{\"backends\":{}}"))).isEqualTo("no backend misses data\n");
        JsonNode jobs = RelayClient.JSON.readTree(("{'jobs':[{'id':'resync-3','kind':'resync','state':'failed','error':'b refused',"
                + "'from':'a','to':'b','db':'mydb','start':'s','end':'e','elapsedSeconds':1.25,'progress':{'done':3,'total':40,'points':12345}}]}").replace('\'', '"'));
        assertThat(reports.jobs(jobs)).isEqualTo("""
                ID        KIND    STATE              FROM  TO  DB    START  END  CHUNKS  POINTS  ELAPSED
                resync-3  resync  failed: b refused  a     b   mydb  s      e      3/40  12,345     0:01
                """);
        assertThat(reports.jobs(RelayClient.JSON.readTree("{\"jobs\":[]}"))).isEqualTo("no jobs\n");
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceElsewhereAPlainLineNowAndThen() {
        Job j = job("{'kind':'resync','from':'a','to':'b','elapsedSeconds':1,'progress':{'done':1,'total':2,'points':10}}");
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        ProgressDisplay bar = new ProgressDisplay(new PrintStream(tty, true, StandardCharsets.UTF_8), true, "->", () -> 0);
        bar.show(j);
        bar.show(j);
        bar.clear();
        String line = ProgressLine.of(j, "->");
        assertThat(tty.toString(StandardCharsets.UTF_8))
                .isEqualTo("\r" + line + "\r" + line + "\r" + " ".repeat(line.length()) + "\r");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ProgressDisplay plain = new ProgressDisplay(new PrintStream(log, true, StandardCharsets.UTF_8), false, "->", clock::get);
        plain.show(j);
        clock.set(4_999);
        plain.show(j);
        clock.set(5_000);
        plain.show(j);
        clock.set(6_000);
        plain.show(j);
        plain.clear();
        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo(line + System.lineSeparator());
    }
}
