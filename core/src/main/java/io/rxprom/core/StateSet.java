package io.rxprom.core;

import io.rxprom.core.snapshot.DataPointSnapshot;
import io.rxprom.core.snapshot.Labels;
import io.rxprom.core.snapshot.MetricType;
import io.rxprom.core.snapshot.StateSetDataPoint;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A state set: a fixed list of states, each on or off; with {@link Child#setState} it is an
 * enum whose one current state is on. Exposed as {@code name{name="state"} 1|0}.
 *
 * <pre>{@code
 * StateSet mode = StateSet.builder("breaker_state").help("Circuit breaker").states(Mode.class)
 *     .register(registry);
 * mode.setState(Mode.OPEN);
 * }</pre>
 *
 * <p>Thread-safe; lock-free (a compare-and-set on the series' own word). At most 64 states.
 */
public final class StateSet extends MetricFamily<StateSet.Child> {

  private final String[] states;

  private StateSet(Builder b) {
    super(b);
    this.states = b.states;
    initUnlabelled();
  }

  /** A builder for a state set named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  MetricType type() {
    return MetricType.STATESET;
  }

  @Override
  Child newChild(Labels labels) {
    return new Child(this, labels);
  }

  @Override
  DataPointSnapshot snapshot(Child c) {
    long bits = c.bits.get();
    boolean[] on = new boolean[states.length];
    for (int i = 0; i < on.length; i++) {
      on[i] = (bits & (1L << i)) != 0;
    }
    return new StateSetDataPoint(c.labels, states, on);
  }

  /** Turns {@code state} on and every other state off, in a state set without labels. */
  public void setState(String state) {
    single().setState(state);
  }

  /** Same as {@code setState(state.name())}. */
  public void setState(Enum<?> state) {
    single().setState(state);
  }

  /** Turns {@code state} on or off, in a state set without labels. */
  public void set(String state, boolean on) {
    single().set(state, on);
  }

  int indexOf(String state) {
    for (int i = 0; i < states.length; i++) {
      if (states[i].equals(state)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "state set '" + name + "': unknown state '" + state + "', known states are "
            + Arrays.toString(states));
  }

  /** One series of a state set. */
  public static final class Child extends MetricFamily.Child {
    private final StateSet family;
    final AtomicLong bits = new AtomicLong();

    Child(StateSet family, Labels labels) {
      super(labels);
      this.family = family;
    }

    /** Turns {@code state} on and every other state off. */
    public void setState(String state) {
      bits.set(1L << family.indexOf(state));
    }

    /** Same as {@code setState(state.name())}. */
    public void setState(Enum<?> state) {
      setState(state.name());
    }

    /** Turns {@code state} on or off, leaving the others as they are. */
    public void set(String state, boolean on) {
      long mask = 1L << family.indexOf(state);
      if (on) {
        bits.getAndAccumulate(mask, (b, m) -> b | m); // non-capturing: no allocation
      } else {
        bits.getAndAccumulate(~mask, (b, m) -> b & m);
      }
    }

    /** Whether {@code state} is on. */
    public boolean isSet(String state) {
      return (bits.get() & (1L << family.indexOf(state))) != 0;
    }
  }

  /** Builds a {@link StateSet}. */
  public static final class Builder extends MetricFamily.Builder<Builder, StateSet> {
    private String[] states;

    Builder(String name) {
      super(name);
    }

    /** The states, in exposition order: at least one, at most 64, unique, not empty. */
    public Builder states(String... states) {
      if (states == null || states.length == 0 || states.length > 64) {
        throw new IllegalArgumentException(
            "state set '" + name + "': needs 1 to 64 states, got "
                + (states == null ? "null" : states.length));
      }
      Set<String> seen = new HashSet<>();
      for (String s : states) {
        if (s == null || s.isEmpty() || !seen.add(s)) {
          throw new IllegalArgumentException(
              "state set '" + name + "': state '" + s + "' is null, empty or repeated");
        }
      }
      this.states = states.clone();
      return this;
    }

    /** The constants of {@code type}, by {@link Enum#name()}. */
    public Builder states(Class<? extends Enum<?>> type) {
      Enum<?>[] constants = type.getEnumConstants();
      String[] names = new String[constants.length];
      for (int i = 0; i < names.length; i++) {
        names[i] = constants[i].name();
      }
      return states(names);
    }

    @Override
    MetricType type() {
      return MetricType.STATESET;
    }

    @Override
    String kind() {
      return "state set";
    }

    @Override
    void validate() {
      if (!unit.isEmpty()) {
        throw new IllegalArgumentException(
            "state set '" + name + "': a state set has no unit, got '" + unit + "'");
      }
      super.validate();
      if (states == null) {
        throw new IllegalArgumentException("state set '" + name + "': states(...) is required");
      }
      for (String l : labelNames) {
        if (l.equals(name)) {
          throw new IllegalArgumentException(
              "state set '" + name + "': label name '" + l
                  + "' is reserved (a state set labels its states with its own name)");
        }
      }
    }

    @Override
    StateSet create() {
      return new StateSet(this);
    }
  }
}
