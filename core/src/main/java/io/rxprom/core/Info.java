package io.rxprom.core;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.InfoDataPoint;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricType;
import java.util.Arrays;

/**
 * An info metric: facts about the target as labels, such as a build's version and commit,
 * exposed as {@code name_info{...} 1}.
 *
 * <pre>{@code
 * Info build = Info.builder("build").help("Build information").labelNames("version", "commit")
 *     .register(registry);
 * build.set("1.4.2", "9f1c2e");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Info extends MetricFamily<Info.Child> {

  private Info(Builder b) {
    super(b);
    initUnlabelled();
  }

  /** A builder for an info metric named {@code name} ({@code _info} is optional). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Replaces the info with one series of these label values: the new series exists before the
   * old ones are removed, so a scrape never sees none.
   */
  public synchronized void set(String... labelValues) {
    labels(labelValues);
    for (DataPointSnapshot p : snapshot().dataPoints()) {
      Labels l = p.labels();
      String[] v = new String[l.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = l.value(i);
      }
      if (!Arrays.equals(v, labelValues)) {
        remove(v);
      }
    }
  }

  @Override
  MetricType type() {
    return MetricType.INFO;
  }

  @Override
  Child newChild(Labels labels) {
    return new Child(labels);
  }

  @Override
  DataPointSnapshot snapshot(Child c) {
    return new InfoDataPoint(c.labels);
  }

  /** One series of an info metric: its labels are all there is. */
  public static final class Child extends MetricFamily.Child {
    Child(Labels labels) {
      super(labels);
    }
  }

  /** Builds an {@link Info}. */
  public static final class Builder extends MetricFamily.Builder<Builder, Info> {
    Builder(String name) {
      super(name);
    }

    @Override
    MetricType type() {
      return MetricType.INFO;
    }

    @Override
    String kind() {
      return "info metric";
    }

    @Override
    String strippedSuffix() {
      return "_info";
    }

    @Override
    void validate() {
      if (!unit.isEmpty()) {
        throw new IllegalArgumentException(
            "metric '" + name + "': an info metric has no unit, got '" + unit + "'");
      }
      super.validate();
    }

    @Override
    Info create() {
      return new Info(this);
    }
  }
}
