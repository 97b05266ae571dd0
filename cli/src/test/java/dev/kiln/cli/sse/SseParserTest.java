package dev.kiln.cli.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseParserTest {

  @Test
  void dispatchesAnEventOnTheBlankLine() {
    List<SseEvent> events = feed(null, "id: 7", "event: state", "data: {\"state\":\"QUEUED\"}", "");

    assertThat(events).containsExactly(new SseEvent("7", "state", "{\"state\":\"QUEUED\"}"));
  }

  @Test
  void joinsMultiLineDataWithNewlines() {
    List<SseEvent> events = feed(null, "data: first", "data:second", "data:  third", "");

    assertThat(events)
        .singleElement()
        .extracting(SseEvent::data)
        .isEqualTo("first\nsecond\n third");
  }

  @Test
  void skipsCommentsSuchAsHeartbeats() {
    List<SseEvent> events = feed(null, ": heartbeat", "data: x", ":another", "", ":", "");

    assertThat(events).containsExactly(new SseEvent(null, "message", "x"));
  }

  @Test
  void typesAnEventWithoutEventFieldAsMessage() {
    assertThat(feed(null, "data: x", ""))
        .singleElement()
        .extracting(SseEvent::type)
        .isEqualTo("message");
  }

  @Test
  void keepsTheLastEventIdAcrossEvents() {
    List<SseEvent> events = feed(null, "id: 1", "data: a", "", "data: b", "");

    assertThat(events).extracting(SseEvent::id).containsExactly("1", "1");
  }

  @Test
  void startsFromTheResumedId() {
    SseParser parser = new SseParser("41");

    assertThat(parser.lastEventId()).isEqualTo("41");
    assertThat(parser.line("data: x")).isEmpty();
    assertThat(parser.line("")).contains(new SseEvent("41", "message", "x"));
  }

  @Test
  void anEventWithoutDataIsNotDispatchedButItsIdCounts() {
    SseParser parser = new SseParser(null);

    assertThat(parser.line("id: 9")).isEmpty();
    assertThat(parser.line("event: state")).isEmpty();
    assertThat(parser.line("")).isEmpty();
    assertThat(parser.lastEventId()).isEqualTo("9");
    // the event type does not leak into the next event
    parser.line("data: y");
    assertThat(parser.line("")).contains(new SseEvent("9", "message", "y"));
  }

  @Test
  void ignoresAnIdContainingNul() {
    SseParser parser = new SseParser("3");
    parser.line("id: 4\0");

    assertThat(parser.lastEventId()).isEqualTo("3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"retry: 1000", "unknown: x", "data"})
  void handlesOtherFieldsAndBareFieldNames(String line) {
    List<SseEvent> events = feed(null, line, "data: z", "");

    assertThat(events).singleElement().extracting(SseEvent::data).isIn("z", "\nz");
  }

  @Test
  void aBareDataFieldAddsAnEmptyLine() {
    assertThat(feed(null, "data", "data", ""))
        .singleElement()
        .extracting(SseEvent::data)
        .isEqualTo("\n");
  }

  private static List<SseEvent> feed(String lastEventId, String... lines) {
    SseParser parser = new SseParser(lastEventId);
    List<SseEvent> events = new ArrayList<>();
    for (String line : lines) {
      parser.line(line).ifPresent(events::add);
    }
    return events;
  }
}
