package io.ursprung.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ursprung demo}: {@code up}, plus a bundled capture replayed through the real pipeline
 * (plugin processing, Kafka, consumer, PostgreSQL), so that the GUI shows a provenance graph right
 * away. The capture is real: a small ML pipeline recorded with auditd by {@code
 * deployment/demo/record-demo-capture.sh}. It is replayed once per data directory; a marker file
 * remembers that (replaying again would change nothing, since event ids are deterministic and
 * writes idempotent, but it would cost time at every start).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "'up' plus a bundled real capture (a small ML pipeline recorded with auditd) replayed",
      "through the pipeline: a provenance graph to explore at http://localhost:3000 right away."
    })
public final class DemoCommand implements Callable<Integer> {

  /** The host name the demo's events carry (the capture has no node= field). */
  static final String HOST = "ml-workstation";

  static final String CAPTURE = "/demo/ml-pipeline.audit.log.gz";
  static final String META = "/demo/ml-pipeline.properties";
  static final String MARKER = "demo-replayed";

  @Spec CommandSpec spec;

  @Mixin UpCommand.MasterOptions options = new UpCommand.MasterOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Properties meta = new Properties();
    byte[] capture;
    try (InputStream m = DemoCommand.class.getResourceAsStream(META);
        InputStream c = DemoCommand.class.getResourceAsStream(CAPTURE)) {
      if (m == null || c == null) {
        err.println("ursprung demo: the bundled capture is missing from this build");
        return 1;
      }
      meta.load(m);
      try (GZIPInputStream gz = new GZIPInputStream(c)) {
        capture = gz.readAllBytes();
      }
    }
    Master master = options.startOrExplain(spec);
    if (master == null) {
      return 1;
    }
    Path dataDir = options.dataDir == null ? Master.defaultDataDir() : options.dataDir;
    MasterApi api = new MasterApi("http://127.0.0.1:" + options.port, master.login().adminToken());
    String model = meta.getProperty("model");
    try {
      Path marker = dataDir.resolve(MARKER);
      if (!Files.exists(marker)) {
        CaptureReplay.Outcome o =
            CaptureReplay.replay(
                capture,
                HOST,
                "ursprung-demo",
                master.kafkaBootstrap(),
                uid -> meta.getProperty("user." + uid),
                gid -> meta.getProperty("group." + gid));
        if (o.undelivered() > 0) {
          err.println(
              "ursprung demo: "
                  + o.undelivered()
                  + " demo events did not reach the broker; the graph will be incomplete.");
        } else if (waitForModel(api, model) != null) {
          // Only once it is visible: a stop before that replays again at the next start.
          Files.writeString(
              marker,
              "replayed " + o.events().size() + " events at " + Instant.now() + "\n",
              StandardCharsets.UTF_8);
        } else {
          err.println("ursprung demo: the demo graph is not visible yet; it may still appear.");
        }
      }
    } catch (IOException e) {
      master.close();
      err.println("ursprung demo: could not load the demo capture: " + e.getMessage());
      return 1;
    }
    options.printWelcome(spec, master);
    PrintWriter out = spec.commandLine().getOut();
    String fileId = fileId(api, model);
    String base = "http://localhost:" + options.port + "/";
    out.println();
    out.println("Demo: a small ML pipeline, captured with auditd (" + HOST + ", user ursdemo):");
    out.println("  data prep (grep | sort, awk), train.py, mv (publish), evaluate.py, gzip.");
    out.println("Where to click, after signing in:");
    out.println(
        "  the model's lineage:  "
            + (fileId != null
                ? base + "#/graph?node=" + MasterApi.enc(fileId)
                : base + "  (search for model.json in the graph explorer)"));
    out.println("  then expand nodes by clicking; 'Reproduce' on the model lists the steps.");
    out.println("  Runs: " + base + "#/runs    Dashboard: " + base);
    out.println("  File: " + model + " on host " + HOST);
    out.flush();
    UpCommand.runUntilStopped(master);
    return 0;
  }

  /** Waits until the model's lineage reaches back to its inputs; returns it, or null. */
  private static JsonNode waitForModel(MasterApi api, String model) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        JsonNode l = api.upstream(model, HOST);
        // The model, mv, train.py's python3, its inputs: more than a handful once all is stored.
        if (l != null && l.path("nodes").size() >= 5) {
          return l;
        }
      } catch (IOException e) {
        // the API is busy for a moment: ask again
      }
      Thread.sleep(500);
    }
    return null;
  }

  private static String fileId(MasterApi api, String model) {
    try {
      JsonNode l = api.upstream(model, HOST);
      if (l != null) {
        for (JsonNode n : l.path("nodes")) {
          if (n.path("depth").asInt(-1) == 0) {
            return n.path("id").asText(null);
          }
        }
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }
}
