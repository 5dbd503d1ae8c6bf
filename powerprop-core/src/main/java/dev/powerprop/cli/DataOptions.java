package dev.powerprop.cli;

import dev.powerprop.nn.data.DataSplits;
import dev.powerprop.nn.data.ImageDataset;
import dev.powerprop.nn.data.MnistFolder;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The {@code --data} option shared by the commands: a folder of IDX files, a known name, or the shipped subset. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the four MNIST-format IDX files (gzip or not), or 'fashion-mnist' for "
                    + "Debian's dataset-fashion-mnist. Default: the Fashion-MNIST subset shipped in data/.")
    String data;

    boolean usesShippedSubset() {
        return data == null;
    }

    MnistFolder open(PrintWriter err) throws IOException {
        if (data == null) {
            MnistFolder subset = MnistFolder.shippedSubset();
            err.println("No --data given: using the Fashion-MNIST subset shipped in " + subset.folder()
                    + " (10,000 train / 2,000 test images; pass --data fashion-mnist for the full set).");
            return subset;
        }
        return MnistFolder.open(data);
    }

    DataSplits splits(int validation, PrintWriter err) throws IOException {
        return open(err).splits(validation);
    }

    /**
     * Refuses a model ({@code what}, of layer {@code sizes}) that does not fit {@code images}:
     * its inputs must be their pixels and its outputs their classes. Checked before any work,
     * so that a mismatch never costs a training run or reports an accuracy over the wrong classes.
     */
    static void checkModelFits(String what, int[] sizes, ImageDataset images) {
        if (sizes[0] != images.features()) {
            throw new UserException(what + " expects " + sizes[0] + " inputs but the images have "
                    + images.features() + " pixels");
        }
        int outputs = sizes[sizes.length - 1];
        if (outputs != images.classes()) {
            throw new UserException(what + " has " + outputs + " outputs but the images have "
                    + images.classes() + " classes");
        }
    }
}
