package dev.kiln.gateway;

import dev.kiln.testkit.StackEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database on the stack's real PostgreSQL (scripts/stack.sh up, or KILN_TEST_DB_URL),
 * created for one test class and dropped by {@link #close()}.
 */
public final class TestDatabase implements AutoCloseable {
  private final StackEndpoints stack;
  private final String name;
  private final String url;

  private TestDatabase(StackEndpoints stack, String name, String url) {
    this.stack = stack;
    this.name = name;
    this.url = url;
  }

  public static TestDatabase create(Class<?> testClass) {
    StackEndpoints stack = StackEndpoints.fromEnvironment();
    String name =
        ("gw_" + testClass.getSimpleName() + "_" + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase(Locale.ROOT);
    execute(stack, "CREATE DATABASE " + name);
    String base = stack.dbUrl();
    int slash = base.lastIndexOf('/');
    int query = base.indexOf('?', slash);
    String url = base.substring(0, slash + 1) + name + (query < 0 ? "" : base.substring(query));
    return new TestDatabase(stack, name, url);
  }

  public String url() {
    return url;
  }

  public String user() {
    return stack.dbUser();
  }

  public String password() {
    return stack.dbPassword();
  }

  @Override
  public void close() {
    execute(stack, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void execute(StackEndpoints stack, String sql) {
    try (Connection c =
            DriverManager.getConnection(stack.dbUrl(), stack.dbUser(), stack.dbPassword());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "tried to run '"
              + sql
              + "' on the test PostgreSQL at "
              + stack.dbUrl()
              + " but failed ("
              + e.getMessage()
              + "); start it with scripts/stack.sh up postgres or set KILN_TEST_DB_URL",
          e);
    }
  }
}
