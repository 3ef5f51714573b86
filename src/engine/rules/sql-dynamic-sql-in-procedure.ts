/**
 * sql-dynamic-sql-in-procedure: a stored procedure or function that builds SQL text by
 * concatenating a parameter into it and then runs that text (PREPARE … FROM, EXECUTE,
 * EXECUTE IMMEDIATE, EXEC(…), sp_executesql). Whoever calls the routine controls the SQL: the
 * same injection as string-built SQL in application code, moved into the database, where
 * application-side parameterisation no longer protects it. The analysis is in
 * detect/dynamic-sql.ts.
 */
import { findDynamicSql } from "../detect/dynamic-sql";
import { statementTokens } from "../parse/sql-tokens";
import { createRule } from "../rule";

export default createRule({
  id: "sql-dynamic-sql-in-procedure",
  meta: {
    title: "Stored procedure runs SQL built by concatenating a parameter",
    description:
      "A stored procedure or function pastes one of its parameters into SQL text and executes it (PREPARE … FROM, EXECUTE, EXECUTE IMMEDIATE, EXEC, sp_executesql), so a caller can change the statement: SQL injection inside the database (PCI DSS 6.2.4).",
    severity: "high",
    confidence: "high",
    category: "injection",
    cwe: ["CWE-89"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    remediation:
      "Pass values as bind parameters instead of text: MySQL `PREPARE stmt FROM 'SELECT … WHERE name = ?'; EXECUTE stmt USING @name`; PL/pgSQL `EXECUTE 'SELECT … WHERE name = $1' USING p_name`; T-SQL `EXEC sp_executesql N'SELECT … WHERE name = @name', N'@name nvarchar(100)', @name = @p_name`. Identifiers (table or column names) cannot be bound: check them against a fixed list, or quote them with quote_ident(), format('%I'), QUOTENAME() or QUOTE().",
    references: [
      "https://cwe.mitre.org/data/definitions/89.html",
      "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html",
      "https://www.postgresql.org/docs/current/plpgsql-statements.html#PLPGSQL-STATEMENTS-EXECUTING-DYN",
      "https://learn.microsoft.com/en-us/sql/relational-databases/system-stored-procedures/sp-executesql-transact-sql",
    ],
    tags: ["pci-dss", "sql-injection", "stored-procedure"],
    languages: ["sql", "javascript", "typescript"],
  },
  create(ctx) {
    return {
      sql(statement) {
        // Cheap pre-check on the text: PostgreSQL bodies are strings, so their EXECUTE is no token here.
        if (!/exec|prepare/i.test(statement.text)) return;
        const scan = findDynamicSql(statementTokens(statement), statement.text, ctx.limits.maxDetectorCandidates);
        if (scan.exhausted)
          ctx.notify(
            "detector-budget",
            `Stopped following variables in a routine after ${ctx.limits.maxDetectorCandidates} steps; later dynamic SQL in it was not checked.`,
          );
        for (const f of scan.findings) {
          ctx.report({
            start: statement.fileOffset(f.token.start),
            end: statement.fileOffset(f.token.end),
            message: `${f.routine} pastes its parameter ${f.parameter} into SQL text that it runs with ${f.sink}; pass it as a bind parameter, or quote it as an identifier, instead.`,
            fingerprintKey: `${f.routine}:${f.parameter}`.toLowerCase(),
          });
        }
      },
    };
  },
});
