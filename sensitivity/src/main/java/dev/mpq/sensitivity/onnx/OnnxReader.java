package dev.mpq.sensitivity.onnx;

import dev.mpq.sensitivity.weights.DataType;
import dev.mpq.sensitivity.weights.TensorInfo;
import dev.mpq.sensitivity.weights.WeightFileException;
import dev.mpq.sensitivity.weights.WireAccess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the structure of an ONNX model with a streaming protocol-buffer wire-format parser of its
 * own (no generated classes): graphs, nodes, attributes, subgraphs, value infos, and for every
 * tensor only its metadata and the offset of its data. Tensor data is read later, one tensor at a
 * time ({@link OnnxModel#readFloats}), so parsing a 90 MB model needs a few hundred KB of heap.
 *
 * <p>Field numbers follow onnx.proto (IR version 3 to 10).
 */
public final class OnnxReader {

    private OnnxReader() {}

    /** Parses the model's structure. */
    public static OnnxModel read(Path path) {
        try (WireAccess in = new WireAccess(path)) {
            return new Parser(in).model();
        }
    }

    private static final class Parser {
        private final WireAccess in;

        Parser(WireAccess in) {
            this.in = in;
        }

        OnnxModel model() {
            long end = in.size();
            if (end == 0) {
                throw in.error("the file is empty; expected an ONNX ModelProto");
            }
            long irVersion = 0;
            String producer = "";
            Map<String, Long> opsets = new LinkedHashMap<>();
            OnnxGraph graph = null;
            List<Long> graphField = List.of();
            while (in.position() < end) {
                long tagOffset = in.position();
                long tag = in.readVarint(end);
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (field == 0) {
                    throw in.error("field number 0 (not an ONNX model, or corrupt)");
                }
                if (field == 1 && wire == WireAccess.VARINT) {
                    irVersion = in.readVarint(end);
                } else if (field == 2 && wire == WireAccess.LENGTH_DELIMITED) {
                    producer = in.readString(end);
                } else if (field == 8 && wire == WireAccess.LENGTH_DELIMITED) {
                    long e = in.readLength(end);
                    String domain = "";
                    long version = 0;
                    while (in.position() < e) {
                        long t = in.readVarint(e);
                        if ((t >>> 3) == 1 && (t & 7) == 2) {
                            domain = in.readString(e);
                        } else if ((t >>> 3) == 2 && (t & 7) == 0) {
                            version = in.readVarint(e);
                        } else {
                            in.skip((int) (t & 7), e);
                        }
                    }
                    opsets.put(domain, version);
                } else if (field == 7 && wire == WireAccess.LENGTH_DELIMITED) {
                    long e = in.readLength(end);
                    graphField = List.of(tagOffset, in.position(), e);
                    graph = graph(e);
                } else {
                    in.skip(wire, end);
                }
            }
            if (graph == null) {
                throw new WeightFileException(in.path(), "model", "has no graph (field 7); is this an ONNX model?");
            }
            if (irVersion == 0) {
                throw new WeightFileException(
                        in.path(), "model", "has no ir_version (field 1); is this an ONNX model?");
            }
            return new OnnxModel(in.path(), in.size(), irVersion, producer, opsets, graph, graphField);
        }

        private OnnxGraph graph(long end) {
            String name = "";
            List<OnnxNode> nodes = new ArrayList<>();
            List<OnnxTensor> initializers = new ArrayList<>();
            List<OnnxValueInfo> inputs = new ArrayList<>();
            List<OnnxValueInfo> outputs = new ArrayList<>();
            List<OnnxValueInfo> valueInfos = new ArrayList<>();
            Map<String, List<Long>> initializerFields = new LinkedHashMap<>();
            while (in.position() < end) {
                long fieldStart = in.position();
                long tag = in.readVarint(end);
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (wire != WireAccess.LENGTH_DELIMITED) {
                    in.skip(wire, end);
                    continue;
                }
                switch (field) {
                    case 1 -> nodes.add(node(in.readLength(end)));
                    case 2 -> name = in.readString(end);
                    case 5 -> {
                        OnnxTensor t = tensor(in.readLength(end), "initializer");
                        initializers.add(t);
                        initializerFields.put(t.name(), List.of(fieldStart, in.position()));
                    }
                    case 11 -> inputs.add(valueInfo(in.readLength(end)));
                    case 12 -> outputs.add(valueInfo(in.readLength(end)));
                    case 13 -> valueInfos.add(valueInfo(in.readLength(end)));
                    default -> in.skip(wire, end);
                }
            }
            return new OnnxGraph(name, nodes, initializers, inputs, outputs, valueInfos, initializerFields);
        }

        private OnnxNode node(long end) {
            long start = in.position();
            String name = "";
            String opType = "";
            String domain = "";
            List<String> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            List<long[]> attributeRanges = new ArrayList<>();
            while (in.position() < end) {
                long tag = in.readVarint(end);
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (wire != WireAccess.LENGTH_DELIMITED) {
                    in.skip(wire, end);
                    continue;
                }
                switch (field) {
                    case 1 -> inputs.add(in.readString(end));
                    case 2 -> outputs.add(in.readString(end));
                    case 3 -> name = in.readString(end);
                    case 4 -> opType = in.readString(end);
                    case 7 -> domain = in.readString(end);
                    case 5 -> {
                        long e = in.readLength(end);
                        attributeRanges.add(new long[] {in.position(), e});
                        in.seek(e);
                    }
                    default -> in.skip(wire, end);
                }
            }
            // attributes are parsed once the node's name is known (Constant tensors carry it as their origin)
            String origin = "Constant node '" + (name.isEmpty() ? "@" + start : name) + "'";
            Map<String, OnnxAttribute> attributes = new HashMap<>();
            for (long[] range : attributeRanges) {
                in.seek(range[0]);
                OnnxAttribute a = attribute(range[1], origin, outputs.isEmpty() ? "" : outputs.get(0));
                attributes.put(a.name(), a);
            }
            in.seek(end);
            return new OnnxNode(name, opType, domain, inputs, outputs, attributes);
        }

        private OnnxAttribute attribute(long end, String origin, String firstOutput) {
            String name = "";
            Long i = null;
            Float f = null;
            String s = null;
            List<Long> ints = new ArrayList<>();
            List<Float> floats = new ArrayList<>();
            long tensorStart = -1;
            long tensorEnd = -1;
            List<OnnxGraph> graphs = new ArrayList<>();
            while (in.position() < end) {
                long tag = in.readVarint(end);
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (field == 1 && wire == 2) {
                    name = in.readString(end);
                } else if (field == 2 && wire == 5) {
                    f = Float.intBitsToFloat(in.readFixed32(end));
                } else if (field == 3 && wire == 0) {
                    i = in.readVarint(end);
                } else if (field == 4 && wire == 2) {
                    s = in.readString(end);
                } else if (field == 5 && wire == 2) {
                    tensorEnd = in.readLength(end);
                    tensorStart = in.position();
                    in.seek(tensorEnd);
                } else if ((field == 6 || field == 11) && wire == 2) {
                    graphs.add(graph(in.readLength(end)));
                } else if (field == 7 && wire == 5) {
                    floats.add(Float.intBitsToFloat(in.readFixed32(end)));
                } else if (field == 7 && wire == 2) {
                    long e = in.readLength(end);
                    while (in.position() < e) {
                        floats.add(Float.intBitsToFloat(in.readFixed32(e)));
                    }
                } else if (field == 8 && wire == 0) {
                    ints.add(in.readVarint(end));
                } else if (field == 8 && wire == 2) {
                    long e = in.readLength(end);
                    while (in.position() < e) {
                        ints.add(in.readVarint(e));
                    }
                } else {
                    in.skip(wire, end);
                }
            }
            OnnxTensor t = null;
            if (tensorStart >= 0) {
                in.seek(tensorStart);
                t = tensor(tensorEnd, origin);
                if (t.name().isEmpty() && !firstOutput.isEmpty()) {
                    // a Constant's value is known in the graph by the node's output name
                    t = new OnnxTensor(
                            new TensorInfo(
                                    firstOutput,
                                    t.info().type(),
                                    t.info().shape(),
                                    t.info().sourceType()),
                            t.storage(),
                            t.offset(),
                            t.length(),
                            t.file(),
                            t.inline(),
                            t.origin());
                }
                in.seek(end);
            }
            return new OnnxAttribute(name, i, f, s, ints, floats, t, graphs);
        }

        private OnnxTensor tensor(long end, String origin) {
            List<Long> dims = new ArrayList<>();
            int dataType = 0;
            String name = "";
            OnnxTensor.Storage storage = OnnxTensor.Storage.EMPTY;
            long offset = 0;
            long length = 0;
            List<Double> inline = null;
            boolean external = false;
            Map<String, String> externalData = new HashMap<>();
            while (in.position() < end) {
                long fieldStart = in.position();
                long tag = in.readVarint(end);
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (field == 1 && wire == 0) {
                    dims.add(in.readVarint(end));
                } else if (field == 1 && wire == 2) {
                    long e = in.readLength(end);
                    while (in.position() < e) {
                        dims.add(in.readVarint(e));
                    }
                } else if (field == 2 && wire == 0) {
                    dataType = (int) in.readVarint(end);
                } else if (field == 8 && wire == 2) {
                    name = in.readString(end);
                } else if (field == 3) {
                    throw in.error("tensor segments (field 3) are not supported");
                } else if ((field == 9 || field == 4 || field == 5 || field == 7 || field == 10 || field == 11)
                        && wire == 2) {
                    long e = in.readLength(end);
                    offset = in.position();
                    length = e - offset;
                    storage = switch (field) {
                        case 9 -> OnnxTensor.Storage.RAW;
                        case 4 -> OnnxTensor.Storage.PACKED_FLOAT;
                        case 5 -> OnnxTensor.Storage.PACKED_INT32;
                        case 10 -> OnnxTensor.Storage.PACKED_DOUBLE;
                        default -> OnnxTensor.Storage.PACKED_INT64;
                    };
                    in.seek(e);
                } else if ((field == 4 && wire == 5)
                        || ((field == 5 || field == 7 || field == 11) && wire == 0)
                        || (field == 10 && wire == 1)) {
                    // unpacked repeated values: rare (old writers), collected here
                    if (inline == null) {
                        inline = new ArrayList<>();
                    }
                    storage = OnnxTensor.Storage.INLINE;
                    double v;
                    if (field == 4) {
                        v = Float.intBitsToFloat(in.readFixed32(end));
                    } else if (field == 10) {
                        v = Double.longBitsToDouble(in.readFixed64(end));
                    } else if (field == 5) {
                        v = (int) in.readVarint(end);
                    } else {
                        v = in.readVarint(end);
                    }
                    inline.add(v);
                } else if (field == 13 && wire == 2) {
                    long e = in.readLength(end);
                    String key = "";
                    String value = "";
                    while (in.position() < e) {
                        long t = in.readVarint(e);
                        if ((t >>> 3) == 1 && (t & 7) == 2) {
                            key = in.readString(e);
                        } else if ((t >>> 3) == 2 && (t & 7) == 2) {
                            value = in.readString(e);
                        } else {
                            in.skip((int) (t & 7), e);
                        }
                    }
                    externalData.put(key, value);
                } else if (field == 14 && wire == 0) {
                    external = in.readVarint(end) == 1;
                } else {
                    if (fieldStart == in.position()) {
                        throw in.error("no progress parsing a tensor");
                    }
                    in.skip(wire, end);
                }
            }
            DataType type = DataType.fromOnnx(dataType);
            TensorInfo info = new TensorInfo(name, type, dims, "onnx data_type " + dataType);
            Path file = in.path();
            if (external) {
                String location = externalData.get("location");
                if (location == null || location.isEmpty()) {
                    throw WeightFileException.inTensor(in.path(), name, "external data without a 'location' entry");
                }
                Path dir = in.path().toAbsolutePath().getParent();
                file = dir.resolve(location).normalize();
                if (!file.startsWith(dir)) {
                    throw WeightFileException.inTensor(
                            in.path(),
                            name,
                            "external data location '%s' leaves the model's directory".formatted(location));
                }
                offset = parseLong(externalData.getOrDefault("offset", "0"), name);
                length = externalData.containsKey("length")
                        ? parseLong(externalData.get("length"), name)
                        : info.elementCount() * type.bytes();
                storage = OnnxTensor.Storage.EXTERNAL;
            }
            double[] values = inline == null
                    ? null
                    : inline.stream().mapToDouble(Double::doubleValue).toArray();
            return new OnnxTensor(info, storage, offset, length, file, values, origin);
        }

        private long parseLong(String text, String tensor) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw WeightFileException.inTensor(
                        in.path(), tensor, "external data offset/length '%s' is not a number".formatted(text));
            }
        }

        private OnnxValueInfo valueInfo(long end) {
            String name = "";
            int elementType = 0;
            List<Long> shape = new ArrayList<>();
            List<String> dimNames = new ArrayList<>();
            while (in.position() < end) {
                long tag = in.readVarint(end);
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (field == 1 && wire == 2) {
                    name = in.readString(end);
                } else if (field == 2 && wire == 2) {
                    long typeEnd = in.readLength(end);
                    while (in.position() < typeEnd) {
                        long t = in.readVarint(typeEnd);
                        if ((t >>> 3) == 1 && (t & 7) == 2) { // tensor_type
                            long tensorEnd = in.readLength(typeEnd);
                            while (in.position() < tensorEnd) {
                                long tt = in.readVarint(tensorEnd);
                                if ((tt >>> 3) == 1 && (tt & 7) == 0) {
                                    elementType = (int) in.readVarint(tensorEnd);
                                } else if ((tt >>> 3) == 2 && (tt & 7) == 2) { // shape
                                    long shapeEnd = in.readLength(tensorEnd);
                                    while (in.position() < shapeEnd) {
                                        long st = in.readVarint(shapeEnd);
                                        if ((st >>> 3) == 1 && (st & 7) == 2) { // dim
                                            long dimEnd = in.readLength(shapeEnd);
                                            long value = -1;
                                            String param = "";
                                            while (in.position() < dimEnd) {
                                                long dt = in.readVarint(dimEnd);
                                                if ((dt >>> 3) == 1 && (dt & 7) == 0) {
                                                    value = in.readVarint(dimEnd);
                                                } else if ((dt >>> 3) == 2 && (dt & 7) == 2) {
                                                    param = in.readString(dimEnd);
                                                } else {
                                                    in.skip((int) (dt & 7), dimEnd);
                                                }
                                            }
                                            shape.add(value);
                                            dimNames.add(param);
                                        } else {
                                            in.skip((int) (st & 7), shapeEnd);
                                        }
                                    }
                                } else {
                                    in.skip((int) (tt & 7), tensorEnd);
                                }
                            }
                        } else {
                            in.skip((int) (t & 7), typeEnd);
                        }
                    }
                } else {
                    in.skip(wire, end);
                }
            }
            return new OnnxValueInfo(name, elementType, shape, dimNames);
        }
    }
}
