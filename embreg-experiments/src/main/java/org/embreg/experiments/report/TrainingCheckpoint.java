package org.embreg.experiments.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.embreg.EmbregException;
import org.embreg.data.AtomicFiles;
import org.embreg.train.CheckpointListener;
import org.embreg.train.Lars;
import org.embreg.train.Resumable;
import org.embreg.train.TrainingLoop;

/**
 * The checkpoint of a resumable training run: the network's parameters, the optimizer's momentum
 * (its update count is the checkpoint's step), the state of every {@link Resumable} part (the
 * listeners' counters, tables and warnings) and the training seconds so far, in one file written
 * atomically and sealed by a CRC-32, with a fingerprint of the run (its configuration and data).
 * Killed and started again with the same directory, a run continues from its last checkpoint and
 * ends exactly where the uninterrupted run would have ended; a checkpoint of another run, or one
 * that is truncated or corrupt, is refused with an error that names the file, never taken as
 * finished work.
 *
 * <p>Layout: the magic line {@code EMBREG-CHECKPOINT 1}, then three length-prefixed blocks (the
 * header as JSON; the parameters and the momentum, each as DJL's {@link NDList#encode} of arrays
 * named by the parameter's path in the block), then the CRC-32 of everything before it.
 *
 * <p>Use: {@link #read} before building the optimizer (its update count must start at the
 * checkpoint's step), {@link #restore} after the trainer's initialization, then
 * {@link TrainingLoop#run(Trainer, int, int, TrainingLoop.Step, TrainingLoop.AfterUpdate)} from
 * {@link #updates} with {@link #saver}, and {@link #save} once more when the run completes.
 */
public final class TrainingCheckpoint {
    private static final byte[] MAGIC = "EMBREG-CHECKPOINT 1\n".getBytes(StandardCharsets.US_ASCII);

    /** A checkpoint read back. */
    public record Saved(int updates, double seconds, List<JsonElement> parts, byte[] parameters, byte[] momentum) {}

    private record Header(JsonElement run, int updates, double seconds, List<String> partTypes, List<JsonElement> parts) {}

    private final Path file;
    private final JsonElement run;
    private final int every;
    private final List<Resumable<?>> parts;
    private int updates;
    private double priorSeconds;
    private long partStart = System.nanoTime();

    /**
     * @param file the checkpoint's file
     * @param run what identifies the run (its configuration and data, as a record): a checkpoint
     *     resumes only a run with an equal one
     * @param every take a checkpoint every this many updates
     * @param parts the listeners (and other parts) whose state is kept
     */
    public TrainingCheckpoint(Path file, Object run, int every, List<? extends Resumable<?>> parts) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1, got " + every);
        }
        this.file = file;
        this.run = Results.tree(run);
        this.every = every;
        this.parts = List.copyOf(parts);
    }

    /**
     * The checkpoint of this run, or empty when the file does not exist.
     *
     * @param maxUpdates the run's length: a checkpoint past it is refused
     * @throws EmbregException naming the file when it is truncated or corrupt, or belongs to another run
     */
    public Optional<Saved> read(int maxUpdates) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new EmbregException("cannot read the checkpoint " + file + ": " + e.getMessage(), e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Header header;
        byte[] parameters;
        byte[] momentum;
        try {
            for (byte b : MAGIC) {
                if (in.get() != b) {
                    throw corrupt("it is not an embreg checkpoint");
                }
            }
            if (bytes.length < MAGIC.length + Long.BYTES) {
                throw corrupt("it is truncated");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - Long.BYTES);
            if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - Long.BYTES, Long.BYTES).getLong()) {
                throw corrupt("it is truncated or corrupt (checksum mismatch)");
            }
            String json = new String(block(in), StandardCharsets.UTF_8);
            parameters = block(in);
            momentum = block(in);
            header = Results.fromTree(JsonParser.parseString(json), Header.class);
        } catch (java.nio.BufferUnderflowException | JsonParseException | IllegalStateException e) {
            throw corrupt("it is truncated or corrupt (" + e.getMessage() + ")");
        }
        if (!run.equals(header.run())) {
            throw new EmbregException("the checkpoint " + file + " belongs to another run (" + differences(header.run(), run)
                    + "): use another --out, or delete it to start over");
        }
        if (header.parts() == null || header.partTypes() == null || !header.partTypes().equals(partTypes())
                || header.parts().size() != parts.size()) {
            throw corrupt("it keeps the states of " + header.partTypes() + ", this run's listeners are " + partTypes());
        }
        if (header.updates() < 0 || header.updates() > maxUpdates) {
            throw corrupt("it claims " + header.updates() + " updates of a run of " + maxUpdates);
        }
        return Optional.of(new Saved(header.updates(), header.seconds(), header.parts(), parameters, momentum));
    }

    private EmbregException corrupt(String why) {
        return new EmbregException("the checkpoint " + file + " cannot be resumed: " + why + "; delete it to start over");
    }

    private static byte[] block(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalStateException("a block of " + n + " bytes where " + in.remaining() + " remain");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** The keys whose values differ, "steps: 3000 there, 1500 here". */
    private static String differences(JsonElement there, JsonElement here) {
        if (!(there instanceof JsonObject a) || !(here instanceof JsonObject b)) {
            return "its fingerprint differs";
        }
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            JsonElement x = a.get(k);
            JsonElement y = b.get(k);
            if (x == null ? y != null : !x.equals(y)) {
                if (x instanceof JsonObject && y instanceof JsonObject) {
                    out.add(k + " { " + differences(x, y) + " }");
                } else {
                    out.add(k + ": " + x + " there, " + y + " here");
                }
            }
        }
        return String.join("; ", out);
    }

    /**
     * Puts a run back where the checkpoint left it: the parameters (copied into the network's own
     * arrays, which the trainer keeps using), the momentum and every part's state. Call after the
     * trainer is initialized and before its first step.
     *
     * @param lars the run's optimizer, built with {@code optBeginNumUpdate(saved.updates())}
     */
    public void restore(Saved saved, Trainer trainer, Lars lars) {
        Block block = trainer.getModel().getBlock();
        // decoded on the host, so that reading them back leaves nothing on a device's managers
        try (NDManager scope = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDList params = NDList.decode(scope, saved.parameters());
            Map<String, Parameter> byName = new HashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                byName.put(p.getKey(), p.getValue());
            }
            if (params.size() != byName.size()) {
                throw corrupt("it holds " + params.size() + " parameters, the network has " + byName.size());
            }
            for (NDArray a : params) {
                Parameter p = byName.get(a.getName());
                if (p == null || !p.getArray().getShape().equals(a.getShape()) || p.getArray().getDataType() != a.getDataType()) {
                    throw corrupt("its parameter '" + a.getName() + "' " + a.getShape() + " is not one of this network's");
                }
                p.getArray().set(a.toByteBuffer());
            }
            lars.restoreMomentum(block, saved.momentum().length == 0 ? new NDList() : NDList.decode(scope, saved.momentum()));
        } catch (IllegalArgumentException e) {
            throw corrupt(e.getMessage());
        }
        for (int i = 0; i < parts.size(); i++) {
            Resumable<?> part = parts.get(i);
            try {
                restorePart(part, saved.parts().get(i));
            } catch (RuntimeException e) { // Gson's parse errors, and a record constructor refusing what it was given
                throw corrupt("listener state " + i + " is not a " + part.stateType().getSimpleName() + " (" + e.getMessage() + ")");
            }
        }
        updates = saved.updates();
        priorSeconds = saved.seconds();
        partStart = System.nanoTime();
    }

    /** The state types of the parts, in order: what the checkpoint's listener states must be. */
    private List<String> partTypes() {
        return parts.stream().map(p -> p.stateType().getName()).toList();
    }

    private static <S extends Record> void restorePart(Resumable<S> part, JsonElement state) {
        part.restore(Results.fromTree(state, part.stateType()));
    }

    /** The updates the run had applied when it was checkpointed (0 for a new run). */
    public int updates() {
        return updates;
    }

    /** Training seconds in all parts of the run, this one up to now included. */
    public double seconds() {
        return priorSeconds + (System.nanoTime() - partStart) / 1e9;
    }

    /** Starts timing the training of this part (the checkpoint's seconds continue). */
    public void startClock() {
        partStart = System.nanoTime();
    }

    /** Takes a checkpoint every {@code every} updates: pass to the training loop. */
    public TrainingLoop.AfterUpdate saver(Trainer trainer, Lars lars) {
        return n -> {
            if (n % every == 0) {
                save(trainer, lars, n);
            }
        };
    }

    /**
     * Writes the checkpoint of a run after {@code updates} updates, atomically; parameters that are
     * not finite never replace a checkpoint.
     *
     * @return whether it was written
     */
    public boolean save(Trainer trainer, Lars lars, int updates) {
        Block block = trainer.getModel().getBlock();
        if (!CheckpointListener.parametersFinite(block)) {
            return false;
        }
        List<JsonElement> states = new ArrayList<>(parts.size());
        for (Resumable<?> part : parts) {
            states.add(Results.tree(part.snapshot()));
        }
        byte[] header = Results.compact(Results.tree(new Header(run, updates, seconds(), partTypes(), states))).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NDManager scope = trainer.getManager().newSubManager(); DataOutputStream out = new DataOutputStream(bytes)) {
            NDList params = new NDList();
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray copy = p.getValue().getArray().duplicate();
                copy.attach(scope);
                copy.setName(p.getKey());
                params.add(copy);
            }
            out.write(MAGIC);
            writeBlock(out, header);
            writeBlock(out, params.encode());
            NDList momentum = lars.momentum(block, scope);
            writeBlock(out, momentum.isEmpty() ? new byte[0] : momentum.encode()); // none before the first update
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CRC32 crc = new CRC32();
        byte[] body = bytes.toByteArray();
        crc.update(body);
        byte[] sealed = ByteBuffer.allocate(body.length + Long.BYTES).put(body).putLong(crc.getValue()).array();
        try {
            AtomicFiles.write(file, sealed);
        } catch (IOException e) {
            throw new EmbregException("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
        }
        this.updates = updates;
        return true;
    }

    private static void writeBlock(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }
}
