import rule from "../../../src/engine/rules/sql-dynamic-sql-in-procedure";
import { sqlRuleCases } from "./sql-rule-tester";

sqlRuleCases(rule, {
  valid: [
    {
      code: "CREATE PROCEDURE p(IN name VARCHAR(20))\nBEGIN\n  SET @s = 'SELECT * FROM t WHERE n = ?';\n  SET @n = name;\n  PREPARE st FROM @s;\n  EXECUTE st USING @n;\nEND",
      dialect: "mysql",
    },
    {
      code: "CREATE FUNCTION f(p text) RETURNS void AS $$ BEGIN EXECUTE 'SELECT 1 FROM t WHERE a = ' || quote_literal(p); END $$ LANGUAGE plpgsql",
      dialect: "postgresql",
    },
    {
      code: "CREATE FUNCTION f(n integer) RETURNS void AS $$ BEGIN EXECUTE 'SELECT pg_sleep(' || n || ')'; END $$ LANGUAGE plpgsql",
      dialect: "postgresql",
    },
    {
      code: "CREATE FUNCTION f(p text, t text) RETURNS void AS $$ BEGIN EXECUTE format('SELECT * FROM %I WHERE a = %L', t, p); END $$ LANGUAGE plpgsql",
      dialect: "postgresql",
    },
    {
      code: "CREATE FUNCTION f(p text) RETURNS void AS $$ BEGIN EXECUTE 'SELECT * FROM t WHERE a = $1' USING p; END $$ LANGUAGE plpgsql",
      dialect: "postgresql",
    },
    {
      code: "CREATE PROCEDURE dbo.p @n NVARCHAR(50) AS\nBEGIN\n  SET @n = REPLACE(@n, '''', '''''');\n  EXEC('SELECT * FROM t WHERE a = ''' + @n + '''');\nEND",
      dialect: "transactsql",
    },
    {
      code: "CREATE PROCEDURE dbo.p @id NVARCHAR(10) AS EXEC('SELECT * FROM t WHERE id = ' + CONVERT(INT, @id))",
      dialect: "transactsql",
    },
    // A script, not a routine: nobody passes it input.
    "SET @s = CONCAT('SELECT * FROM t WHERE a = ', @x); PREPARE stmt FROM @s;",
    // Concatenation that is never executed.
    { code: "CREATE PROCEDURE greet(IN name TEXT)\nBEGIN\n  SELECT CONCAT('Hello ', name);\nEND", dialect: "mysql" },
    { code: "CREATE PROCEDURE run_fixed(IN a INT)\nBEGIN\n  SET @s = 'SELECT 1';\n  PREPARE st FROM @s;\n  EXECUTE st;\nEND", dialect: "mysql" },
  ],
  invalid: [
    {
      code: "CREATE PROCEDURE p(IN name VARCHAR(20))\nBEGIN\n  SET @s = CONCAT('SELECT * FROM t WHERE n = ''', name, '''');\n  PREPARE st FROM @s;\n  EXECUTE st;\nEND",
      dialect: "mysql",
      errors: [{ line: 3, column: 51, severity: "high", message: /^p pastes its parameter name into SQL text that it runs with PREPARE … FROM/ }],
    },
    {
      code: "CREATE FUNCTION count_in(text) RETURNS bigint AS $$\nDECLARE n bigint;\nBEGIN\n  EXECUTE 'SELECT count(*) FROM ' || $1 INTO n;\n  RETURN n;\nEND $$ LANGUAGE plpgsql",
      dialect: "postgresql",
      errors: [{ line: 4, column: 38, message: /parameter \$1/ }],
    },
    {
      code: "CREATE FUNCTION f(p_sort text) RETURNS SETOF t AS $$\nDECLARE\n  q text := 'SELECT * FROM t ORDER BY ';\nBEGIN\n  q := q || p_sort;\n  RETURN QUERY EXECUTE q;\nEND $$ LANGUAGE plpgsql",
      dialect: "postgresql",
      errors: [{ line: 5, column: 13, message: /p_sort .* EXECUTE/ }],
    },
    {
      code: "CREATE FUNCTION f(p_table text, p_id int) RETURNS void AS $$ BEGIN EXECUTE format('DELETE FROM %1$s WHERE id = %2$s', p_table, p_id); END $$ LANGUAGE plpgsql",
      dialect: "postgresql",
      errors: [{ line: 1, column: 119 }],
    },
    {
      code: "CREATE PROCEDURE dbo.Archive @Table SYSNAME AS\n  EXECUTE sp_executesql N'DELETE FROM dbo.' + @Table",
      dialect: "transactsql",
      errors: [{ line: 2, column: 47, message: /@Table .* sp_executesql/ }],
    },
    {
      code: "CREATE PROCEDURE dbo.Find @Name NVARCHAR(100) AS\nBEGIN\n  DECLARE @sql NVARCHAR(MAX)\n  SELECT @sql = N'SELECT * FROM dbo.People WHERE Name = ''' + @Name + N''''\n  EXEC (@sql)\nEND",
      dialect: "transactsql",
      errors: [{ line: 4, column: 63 }],
    },
    {
      code: "CREATE PROCEDURE ds.find(name STRING)\nBEGIN\n  EXECUTE IMMEDIATE 'SELECT * FROM ds.t WHERE n = \"' || name || '\"';\nEND",
      dialect: "bigquery",
      errors: [{ line: 3, column: 57, message: /EXECUTE IMMEDIATE/ }],
    },
    {
      code: "await knex.raw(`CREATE FUNCTION f(p text) RETURNS void AS $$ BEGIN EXECUTE 'DROP TABLE ' || p; END $$ LANGUAGE plpgsql`);",
      path: "migrations/001.js",
      errors: [{ line: 1, column: 93 }],
    },
  ],
});
