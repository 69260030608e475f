package icsgraph.localdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j's embedded database with its Bolt connector on 127.0.0.1 until
 * SIGTERM.
 *
 * <p>Usage: {@code LocalNeo4j DATA_DIR PORT PASSWORD_FILE}. The password is
 * read from a file so that it never shows in the process list. On the first
 * start the database boots once without Bolt, the {@code neo4j} user gets that
 * password (no change required), and only then does Bolt open: nobody can log
 * in with the default password in between. Later starts keep the stored
 * password; a marker file in DATA_DIR records that the first start finished.
 */
public final class LocalNeo4j {
    static final String READY = "icsgraph-localdb: ready";
    static final String MARKER = "icsgraph-password-set";
    static final String HOST = "127.0.0.1";

    private LocalNeo4j() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: LocalNeo4j DATA_DIR PORT PASSWORD_FILE");
            System.exit(2);
        }
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            // Last, so that the one line icsgraph quotes from the log says why.
            System.err.println("icsgraph-localdb: failed: " + e
                    + (root == e ? "" : " (cause: " + root + ")"));
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Path passwordFile = Path.of(args[2]);

        Files.createDirectories(dataDir);
        Path marker = dataDir.resolve(MARKER);
        if (!Files.exists(marker)) {
            setInitialPassword(dataDir, readPassword(passwordFile));
            Files.writeString(marker, "neo4j password set\n");
        }
        serve(dataDir, port);
    }

    private static String readPassword(Path file) throws IOException {
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new IllegalArgumentException("empty password file: " + file);
        }
        return password;
    }

    private static DatabaseManagementServiceBuilder builder(Path dataDir) {
        return new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                // A small store for one analyst: no 64 MiB transaction logs
                // written out ahead of use.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 days")
                .setConfig(
                        GraphDatabaseSettings.logical_log_rotation_threshold,
                        ByteUnit.mebiBytes(64));
    }

    private static void setInitialPassword(Path dataDir, String password) {
        System.out.println("icsgraph-localdb: first start, setting the neo4j password");
        DatabaseManagementService dbms =
                builder(dataDir).setConfig(BoltConnector.enabled, false).build();
        try {
            GraphDatabaseService system =
                    dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password));
            if (passwordChangeRequired(system)) {
                throw new IllegalStateException("the neo4j password is still the default");
            }
        } finally {
            dbms.shutdown();
        }
    }

    private static boolean passwordChangeRequired(GraphDatabaseService system) {
        try (Transaction tx = system.beginTx();
                Result rows = tx.execute(
                        "SHOW USERS YIELD user, passwordChangeRequired "
                                + "WHERE user = 'neo4j' RETURN passwordChangeRequired")) {
            return !rows.hasNext() || (Boolean) rows.next().get("passwordChangeRequired");
        }
    }

    private static void serve(Path dataDir, int port) throws InterruptedException {
        SocketAddress address = new SocketAddress(HOST, port);
        DatabaseManagementService dbms =
                builder(dataDir)
                        .setConfig(BoltConnector.enabled, true)
                        .setConfig(BoltConnector.listen_address, address)
                        .setConfig(BoltConnector.advertised_address, address)
                        // Bolt's defaults wait ~10 s for idle threads on shutdown,
                        // after the stores are already checkpointed and closed.
                        .setConfig(
                                GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period,
                                0)
                        .setConfig(
                                GraphDatabaseInternalSettings.netty_server_shutdown_timeout,
                                Duration.ofSeconds(2))
                        .setConfig(
                                BoltConnectorInternalSettings.thread_pool_shutdown_wait_time,
                                Duration.ofSeconds(2))
                        .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("icsgraph-localdb: shutting down");
                                    dbms.shutdown();
                                    System.out.println("icsgraph-localdb: stopped");
                                    stopped.countDown();
                                },
                                "icsgraph-localdb-shutdown"));
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        System.out.println(READY + " bolt://" + HOST + ":" + port + " data " + dataDir);
        System.out.flush();
        stopped.await();
    }
}
