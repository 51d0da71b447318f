package io.rxprom.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Builds every state of a benchmark class the way JMH would (each {@code @Param} at its first
 * value, {@code @Setup} methods called, so every sanity check in a setup runs) and calls each
 * {@code @Benchmark} method a few times. CI never runs the benchmarks; this catches a benchmark
 * that no longer sets up, or whose library no longer behaves as its setup checks, without
 * timing anything.
 */
class BenchmarkSmokeTest {

  @ParameterizedTest
  @ValueSource(classes = {
    CounterBenchmark.class,
    HistogramBenchmark.class,
    SummaryBenchmark.class,
    TimerBenchmark.class,
    LabelsLookupBenchmark.class,
    ScrapeBenchmark.class,
    WritersVsScraperBenchmark.class,
    ReactorBenchmark.class,
  })
  void everyBenchmarkSetsUpAndRuns(Class<?> benchmarkClass) throws Exception {
    Harness h = new Harness();
    Object bench = benchmarkClass.getDeclaredConstructor().newInstance();
    List<Method> methods = new ArrayList<>();
    for (Method m : benchmarkClass.getMethods()) {
      if (m.isAnnotationPresent(Benchmark.class)) {
        methods.add(m);
      }
    }
    methods.sort(Comparator.comparing(Method::getName));
    assertThat(methods).isNotEmpty();
    try {
      for (Method m : methods) {
        for (int i = 0; i < 3; i++) {
          Object[] args = new Object[m.getParameterCount()];
          for (int a = 0; a < args.length; a++) {
            args[a] = h.resolve(m.getParameterTypes()[a]);
          }
          h.invoke(m, bench, args);
        }
      }
    } finally {
      h.tearDown();
    }
  }

  /** Creates and caches states, as JMH does for one thread. */
  static final class Harness {
    private final Map<Class<?>, Object> states = new LinkedHashMap<>();
    private final Blackhole blackhole = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    Object resolve(Class<?> type) throws Exception {
      if (type == Blackhole.class) {
        return blackhole;
      }
      Object s = states.get(type);
      if (s != null) {
        return s;
      }
      s = type.getDeclaredConstructor().newInstance();
      for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          Param p = f.getAnnotation(Param.class);
          if (p != null && p.value().length > 0) {
            f.setAccessible(true);
            f.set(s, convert(p.value()[0], f.getType()));
          }
        }
      }
      states.put(type, s);
      for (Method m : lifecycle(type, Setup.class)) {
        Object[] args = new Object[m.getParameterCount()];
        for (int a = 0; a < args.length; a++) {
          args[a] = resolve(m.getParameterTypes()[a]);
        }
        invoke(m, s, args);
      }
      return s;
    }

    void tearDown() throws Exception {
      for (Map.Entry<Class<?>, Object> e : states.entrySet()) {
        for (Method m : lifecycle(e.getKey(), TearDown.class)) {
          invoke(m, e.getValue(), new Object[0]);
        }
      }
    }

    private static List<Method> lifecycle(Class<?> type, Class<? extends java.lang.annotation.Annotation> a) {
      List<Method> out = new ArrayList<>();
      for (Method m : type.getMethods()) {
        if (m.isAnnotationPresent(a) && !Modifier.isStatic(m.getModifiers())) {
          out.add(m);
        }
      }
      return out;
    }

    private static Object convert(String v, Class<?> t) {
      if (t == int.class) {
        return Integer.parseInt(v);
      }
      if (t == long.class) {
        return Long.parseLong(v);
      }
      if (t == boolean.class) {
        return Boolean.parseBoolean(v);
      }
      if (t.isEnum()) {
        return Arrays.stream(t.getEnumConstants()).filter(c -> ((Enum<?>) c).name().equals(v))
            .findFirst().orElseThrow();
      }
      return v;
    }

    void invoke(Method m, Object target, Object[] args) throws Exception {
      try {
        m.setAccessible(true);
        m.invoke(target, args);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof Exception ex) {
          throw ex;
        }
        throw e;
      }
    }
  }
}
