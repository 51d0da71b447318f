package io.rxprom.demo;

import io.rxprom.demo.DemoOptions.UsageException;
import java.io.PrintStream;

/**
 * Runs the demo: {@code java -jar demo/target/rxprom-demo.jar [options]}; {@code --help} lists
 * the options.
 *
 * <p>Exit status: 2 for a bad command line (with the usage on stderr), 1 if the demo cannot start
 * (one line on stderr naming the port or flag), otherwise it runs until Ctrl-C or SIGTERM, which
 * stop it cleanly through a shutdown hook.
 *
 * <p>Not instantiable; {@link #main} is the only entry point.
 */
public final class DemoMain {

  static final String NAME = "rxprom-demo";

  private DemoMain() {}

  /**
   * Starts the demo, or exits.
   *
   * @param args the command line; see {@code --help}
   */
  public static void main(String[] args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (UsageException e) {
      err.println(NAME + ": " + e.getMessage());
      err.println();
      err.print(DemoOptions.USAGE);
      err.flush();
      System.exit(2);
      return;
    }
    if (options.help()) {
      out.print(DemoOptions.USAGE);
      out.flush();
      return;
    }
    Demo demo;
    try {
      demo = Demo.start(options);
    } catch (Demo.StartupException e) {
      err.println(NAME + ": " + e.getMessage());
      err.flush();
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println(NAME + ": stopping");
                  demo.close();
                  out.println(NAME + ": stopped");
                  out.flush();
                },
                NAME + "-shutdown"));
    out.print(Banner.text(options, demo.appPort(), demo.metricsPort()));
    out.flush();
    // Vert.x's event-loop threads keep the JVM running until the shutdown hook closes them.
  }
}
