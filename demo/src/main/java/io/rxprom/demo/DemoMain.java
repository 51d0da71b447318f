package io.rxprom.demo;

/** Placeholder until the demo issue lands. */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) {
    System.out.println("rxprom demo: not yet built");
  }
}
