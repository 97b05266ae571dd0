package dev.kiln.gateway.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;

/** The gateway's PostgreSQL: a connection pool, migrated to the newest schema when opened. */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
  }

  /** Opens a pool to {@code url} and applies the Flyway migrations under {@code db/migration}. */
  public static Database open(String url, String user, String password, int maxConnections) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(maxConnections);
    config.setPoolName("kiln-gateway");
    // Fail start-up quickly with our own message instead of Hikari's retry loop.
    config.setInitializationFailTimeout(10_000);
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "tried to connect to PostgreSQL at "
              + url
              + " as "
              + user
              + " but failed because "
              + e.getMessage()
              + "; start it (scripts/stack.sh up postgres) or fix KILN_DB_URL/KILN_DB_USER/"
              + "KILN_DB_PASSWORD",
          e);
    }
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (FlywayException e) {
      dataSource.close();
      throw new IllegalStateException(
          "tried to migrate the gateway schema in "
              + url
              + " but failed because "
              + e.getMessage()
              + "; check the database user's rights",
          e);
    }
    return new Database(dataSource);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
