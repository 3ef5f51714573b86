/**
 * The explicit rule registry (STYLE.md §8): every rule, imported by name and kept sorted by id.
 * A rule file's name equals its id; test/engine/registry.test.ts walks this list and checks it.
 */
import type { Rule } from "../rule";
import cardDataInLog from "./card-data-in-log";
import cardNumberInResponse from "./card-number-in-response";
import cardNumberInSource from "./card-number-in-source";
import cleartextHttpEndpoint from "./cleartext-http-endpoint";
import cleartextHttpServer from "./cleartext-http-server";
import codeInjection from "./code-injection";
import commandInjection from "./command-injection";
import connectionStringCredentials from "./connection-string-credentials";
import corsCredentialsAnyOrigin from "./cors-credentials-any-origin";
import deprecatedCreateCipher from "./deprecated-create-cipher";
import hardcodedApiKey from "./hardcoded-api-key";
import hardcodedKey from "./hardcoded-key";
import hardcodedSecret from "./hardcoded-secret";
import homemadeCrypto from "./homemade-crypto";
import insecureBrowserSettings from "./insecure-browser-settings";
import insecureCookie from "./insecure-cookie";
import insecureDeserialization from "./insecure-deserialization";
import insecureRandomness from "./insecure-randomness";
import insecureTlsVersion from "./insecure-tls-version";
import jwtVerificationWeak from "./jwt-verification-weak";
import ldapInjection from "./ldap-injection";
import nosqlInjection from "./nosql-injection";
import openRedirect from "./open-redirect";
import pathTraversal from "./path-traversal";
import plaintextPassword from "./plaintext-password";
import privateKeyInSource from "./private-key-in-source";
import prototypePollution from "./prototype-pollution";
import redos from "./redos";
import regexInjection from "./regex-injection";
import sensitiveAuthDataInSource from "./sensitive-auth-data-in-source";
import sensitiveAuthDataStored from "./sensitive-auth-data-stored";
import sqlCardNumberLiteral from "./sql-card-number-literal";
import sqlCleartextCardColumn from "./sql-cleartext-card-column";
import sqlDynamicSqlInProcedure from "./sql-dynamic-sql-in-procedure";
import sqlInjection from "./sql-injection";
import sqlOverbroadGrant from "./sql-overbroad-grant";
import sqlSensitiveAuthDataColumn from "./sql-sensitive-auth-data-column";
import sqlWriteWithoutWhere from "./sql-write-without-where";
import ssrf from "./ssrf";
import staticIv from "./static-iv";
import tlsVerificationDisabled from "./tls-verification-disabled";
import trackDataInSource from "./track-data-in-source";
import unkeyedCardHash from "./unkeyed-card-hash";
import weakCipher from "./weak-cipher";
import weakHashAlgorithm from "./weak-hash-algorithm";
import weakPasswordHash from "./weak-password-hash";
import xpathInjection from "./xpath-injection";
import xss from "./xss";
import xxe from "./xxe";
import zipSlipVulnerableLibrary from "./zip-slip-vulnerable-library";

export const RULES: readonly Rule[] = [
  cardDataInLog,
  cardNumberInResponse,
  cardNumberInSource,
  cleartextHttpEndpoint,
  cleartextHttpServer,
  codeInjection,
  commandInjection,
  connectionStringCredentials,
  corsCredentialsAnyOrigin,
  deprecatedCreateCipher,
  hardcodedApiKey,
  hardcodedKey,
  hardcodedSecret,
  homemadeCrypto,
  insecureBrowserSettings,
  insecureCookie,
  insecureDeserialization,
  insecureRandomness,
  insecureTlsVersion,
  jwtVerificationWeak,
  ldapInjection,
  nosqlInjection,
  openRedirect,
  pathTraversal,
  plaintextPassword,
  privateKeyInSource,
  prototypePollution,
  redos,
  regexInjection,
  sensitiveAuthDataInSource,
  sensitiveAuthDataStored,
  sqlCardNumberLiteral,
  sqlCleartextCardColumn,
  sqlDynamicSqlInProcedure,
  sqlInjection,
  sqlOverbroadGrant,
  sqlSensitiveAuthDataColumn,
  sqlWriteWithoutWhere,
  ssrf,
  staticIv,
  tlsVerificationDisabled,
  trackDataInSource,
  unkeyedCardHash,
  weakCipher,
  weakHashAlgorithm,
  weakPasswordHash,
  xpathInjection,
  xss,
  xxe,
  zipSlipVulnerableLibrary,
];
