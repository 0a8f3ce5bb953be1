/**
 * The few TensorFlow and TensorBoard messages event files need, written from their .proto
 * definitions (tensorflow/core/util/event.proto, framework/summary.proto, graph.proto,
 * tensorboard/plugins/hparams/api.proto and plugin_data.proto, google/protobuf/struct.proto) with
 * only the fields automm sets. Field numbers are what matter on the wire; they match the originals.
 */
import * as protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";
package automm.tb;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    bytes graph_def = 4;
    Summary summary = 5;
  }
}

message Summary {
  message Value {
    string tag = 1;
    float simple_value = 2;
    TensorProto tensor = 8;
    SummaryMetadata metadata = 9;
  }
  repeated Value value = 1;
}

message SummaryMetadata {
  message PluginData {
    string plugin_name = 1;
    bytes content = 2;
  }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
  int32 data_class = 4;
}

message TensorShapeProto {
  message Dim {
    int64 size = 1;
    string name = 2;
  }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
  repeated float float_val = 5 [packed = true];
}

message AttrValue {
  message ListValue {
    repeated TensorShapeProto shape = 7;
  }
  oneof value {
    ListValue list = 1;
    bytes s = 2;
    int64 i = 3;
    TensorShapeProto shape = 7;
  }
}

message NodeDef {
  string name = 1;
  string op = 2;
  repeated string input = 3;
  map<string, AttrValue> attr = 5;
}

message VersionDef {
  int32 producer = 1;
}

message GraphDef {
  repeated NodeDef node = 1;
  VersionDef versions = 4;
}

message Value {
  oneof kind {
    int32 null_value = 1;
    double number_value = 2;
    string string_value = 3;
    bool bool_value = 4;
    ListValue list_value = 6;
  }
}

message ListValue {
  repeated Value values = 1;
}

message Interval {
  double min_value = 1;
  double max_value = 2;
}

message HParamInfo {
  string name = 1;
  string display_name = 2;
  string description = 3;
  int32 type = 4;
  oneof domain {
    ListValue domain_discrete = 5;
    Interval domain_interval = 6;
  }
}

message MetricName {
  string group = 1;
  string tag = 2;
}

message MetricInfo {
  MetricName name = 1;
  string display_name = 3;
  string description = 4;
  int32 dataset_type = 5;
}

message Experiment {
  string description = 1;
  string user = 2;
  double time_created_secs = 3;
  repeated HParamInfo hparam_infos = 4;
  repeated MetricInfo metric_infos = 5;
  string name = 6;
}

message SessionStartInfo {
  map<string, Value> hparams = 1;
  string model_uri = 2;
  string monitor_url = 3;
  string group_name = 4;
  double start_time_secs = 5;
}

message SessionEndInfo {
  int32 status = 1;
  double end_time_secs = 2;
}

message HParamsPluginData {
  int32 version = 1;
  oneof data {
    Experiment experiment = 2;
    SessionStartInfo session_start_info = 3;
    SessionEndInfo session_end_info = 4;
  }
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const type = (name: string) => root.lookupType(`automm.tb.${name}`);

export const Event = type('Event');
export const GraphDef = type('GraphDef');
export const HParamsPluginData = type('HParamsPluginData');

/** Encodes a plain object as `message`, checking it against the definition first. */
export function encode(message: protobuf.Type, value: Record<string, unknown>): Uint8Array {
  const problem = message.verify(value);
  if (problem) throw new TypeError(`${message.name}: ${problem}`);
  return message.encode(message.fromObject(value)).finish();
}

/** TensorFlow's enums, as the numbers the wire carries. */
export const DT_FLOAT = 1;
export const DATA_CLASS_SCALAR = 1;
export const HPARAM_TYPE = { string: 1, bool: 2, float64: 3 } as const;
export const DATASET = { training: 1, validation: 2 } as const;
export const SESSION_STATUS = { success: 1, failure: 2, running: 3 } as const;
