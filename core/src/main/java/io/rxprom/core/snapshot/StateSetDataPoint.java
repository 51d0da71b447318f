package io.rxprom.core.snapshot;

/**
 * A state set series: a fixed list of states, each true or false. The writers expose one
 * sample per state, labelled with the family name as label name.
 */
public final class StateSetDataPoint extends DataPointSnapshot {
  private final String[] states;
  private final boolean[] enabled;

  /**
   * @param states the state names, shared by every series of the family (not copied)
   * @param enabled whether each state is set (not copied)
   */
  public StateSetDataPoint(Labels labels, String[] states, boolean[] enabled) {
    super(labels, NO_CREATED);
    if (states.length != enabled.length) {
      throw new IllegalArgumentException(
          "state set: " + states.length + " states but " + enabled.length + " values");
    }
    this.states = states;
    this.enabled = enabled;
  }

  public int size() {
    return states.length;
  }

  public String state(int i) {
    return states[i];
  }

  public boolean isEnabled(int i) {
    return enabled[i];
  }
}
