/**
 * GraphQL resolver maps (Apollo Server, graphql-tools, Mercurius, Yoga): functions under
 * `Query`, `Mutation` and `Subscription` are called by the server with the client's arguments
 * as their second parameter.
 */
import type { LibraryModel } from "./rows";

export const model: LibraryModel = {
  id: "graphql",
  description: "GraphQL resolver maps: Query, Mutation and Subscription resolvers and their arguments.",
  fixtures: ["apps/graphql/resolvers.js"],
  entryPoints: [
    { resolverRoots: ["Query", "Mutation", "Subscription"] },
    { precedence: 10, roles: (_host, { ref }) => (ref.resolver ? [null, { kind: "tainted", what: "GraphQL arguments", obj: true }] : null) },
  ],
};
