package dev.kiln.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void nothingIsCommittedBeforeAnyRecordStarted() {
    assertThat(tracker.nextCommit()).isEmpty();
  }

  @Test
  void outOfOrderCompletionCommitsOnlyTheContiguousPrefix() {
    tracker.started(10);
    tracker.started(11);
    tracker.started(12);

    tracker.finished(12);
    tracker.finished(11);
    assertThat(tracker.nextCommit()).isEqualTo(OptionalLong.of(10));

    tracker.finished(10);
    assertThat(tracker.nextCommit()).isEqualTo(OptionalLong.of(13));
  }

  @Test
  void aSlowRecordHoldsBackTheCommitUntilItFinishes() {
    tracker.started(0);
    tracker.started(1);
    tracker.started(2);
    tracker.finished(0);
    tracker.finished(2);

    assertThat(tracker.nextCommit()).isEqualTo(OptionalLong.of(1));
    assertThat(tracker.inFlight()).isEqualTo(1);

    tracker.finished(1);
    assertThat(tracker.nextCommit()).isEqualTo(OptionalLong.of(3));
  }

  @Test
  void aCommittedOffsetIsNotOfferedAgain() {
    tracker.started(5);
    tracker.finished(5);

    assertThat(tracker.nextCommit()).isEqualTo(OptionalLong.of(6));
    tracker.committed(6);
    assertThat(tracker.nextCommit()).isEmpty();
  }

  @Test
  void anUnconfirmedCommitIsOfferedAgain() {
    tracker.started(5);
    tracker.finished(5);

    assertThat(tracker.nextCommit()).isEqualTo(OptionalLong.of(6));
    assertThat(tracker.nextCommit()).isEqualTo(OptionalLong.of(6));
  }

  @Test
  void aLateConfirmationOfAnOlderCommitDoesNotMoveBack() {
    tracker.started(1);
    tracker.started(2);
    tracker.finished(1);
    tracker.finished(2);
    tracker.committed(3);
    tracker.committed(2);

    assertThat(tracker.nextCommit()).isEmpty();
  }

  @Test
  void gapsInOffsetsDoNotHoldTheCommitBack() {
    // compacted topics and transaction markers leave holes in the offsets
    tracker.started(3);
    tracker.started(7);
    tracker.finished(3);
    tracker.finished(7);

    assertThat(tracker.nextCommit()).isEqualTo(OptionalLong.of(8));
  }

  @Test
  void finishingAnUnknownOffsetChangesNothing() {
    tracker.started(1);
    tracker.finished(99);

    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(tracker.nextCommit()).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void awaitIdleReturnsAtOnceWhenNothingIsPending() throws InterruptedException {
    tracker.started(1);
    tracker.finished(1);

    assertThat(tracker.awaitIdle(Duration.ZERO)).isTrue();
  }

  @Test
  void awaitIdleReportsWorkStillPending() throws InterruptedException {
    tracker.started(1);

    assertThat(tracker.awaitIdle(Duration.ZERO)).isFalse();
  }
}
