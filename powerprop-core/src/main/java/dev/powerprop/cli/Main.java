package dev.powerprop.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code powerprop <command> [options]}. A user's mistake (a missing or
 * corrupt file, an alpha below 1, a keep fraction outside (0, 1]) ends with one line on stderr
 * and exit code 2; a bug in this program ends with its stack trace and exit code 1.
 */
@Command(name = "powerprop", mixinStandardHelpOptions = true, version = "powerprop 0.1.0",
        description = "Powerpropagation: train sparse-friendly networks, prune them, and reproduce the paper.",
        subcommands = {Figure1Command.class, TrainCommand.class, PruneCommand.class, EvalCommand.class,
            ExportCommand.class, InferCommand.class, DevicesCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code of a user's mistake (bad option, bad file). */
    public static final int USER_ERROR = 2;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        // A mistyped or missing option is a user's mistake too: one line, not the whole usage text.
        cli.setParameterExceptionHandler((ex, ignoredArgs) -> {
            CommandLine where = ex.getCommandLine();
            String help = where.getParent() == null ? "powerprop --help" : "powerprop help " + where.getCommandName();
            String suggestion = ex instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getSuggestions().isEmpty()
                    ? "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?" : "";
            where.getErr().println("powerprop: error: " + ex.getMessage() + suggestion + " (see '" + help + "')");
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String message = userMessage(ex);
            if (message == null) {
                throw ex;
            }
            commandLine.getErr().println("powerprop: error: " + message);
            return USER_ERROR;
        });
        return cli.execute(args);
    }

    /** The one line to show for a user's mistake, or null when {@code ex} is a bug. */
    static String userMessage(Throwable ex) {
        if (ex instanceof UserException || ex instanceof IllegalArgumentException
                || ex instanceof dev.powerprop.experiments.TrainingDivergedException) {
            return ex.getMessage();
        }
        if (ex instanceof NoSuchFileException e) {
            return "no such file: " + e.getFile() + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
        }
        if (ex instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (ex instanceof FileSystemException e) {
            return "cannot use " + e.getFile() + (e.getReason() == null ? "" : ": " + e.getReason());
        }
        if (ex instanceof IOException e) {
            return e.getMessage();
        }
        return null;
    }
}
