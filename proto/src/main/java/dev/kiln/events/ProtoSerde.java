package dev.kiln.events;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka (de)serializers for kiln's protobuf events. */
public final class ProtoSerde {
  private ProtoSerde() {}

  public static <T extends Message> Serializer<T> serializer() {
    return (topic, message) -> message == null ? null : message.toByteArray();
  }

  public static <T extends Message> Deserializer<T> deserializer(Parser<T> parser) {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return parser.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        throw new SerializationException(
            "tried to decode an event from topic " + topic + " but its bytes are not valid", e);
      }
    };
  }
}
