package dev.powerprop.cli;

import dev.powerprop.nn.data.DataSplits;
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
}
