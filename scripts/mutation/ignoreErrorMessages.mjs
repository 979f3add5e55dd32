// A Stryker ignore plugin: the words of an error message are for humans, so mutating them only measures
// whether tests compare prose. It skips exactly those nodes, and nothing that decides behaviour:
// - the arguments of `new SomethingError(...)` (the short message and its details);
// - the value of a `message`, `reason` or `details` property (a violation's or a skipped check's text);
// - the message argument of the audit's `fail(check, message, values)` and of canonicalJson's
//   `unsupported(path, what)`, and a line pushed onto a `problems` list that becomes an error's details.
// The check names, the `values` a violation carries and every condition stay mutated.
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

const MESSAGE_PROPERTIES = new Set(["message", "reason", "details"]);
const REASON = "error-message text (scripts/mutation/ignoreErrorMessages.mjs)";

function calleeName(callee) {
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression" && callee.property.type === "Identifier") {
    const object = callee.object.type === "Identifier" ? callee.object.name : "";
    return `${object}.${callee.property.name}`;
  }
  return "";
}

function isMessageArgument(path) {
  const parent = path.parentPath;
  if (parent === null || !parent.isCallExpression()) return false;
  const index = parent.node.arguments.indexOf(path.node);
  const name = calleeName(parent.node.callee);
  return (name === "fail" && index === 1) || name === "unsupported" || name === "problems.push";
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "error-messages", {
    shouldIgnore(path) {
      if (path.isNewExpression() && path.node.callee.type === "Identifier" && path.node.callee.name.endsWith("Error")) return REASON;
      if (path.isObjectProperty() && !path.node.computed && path.node.key.type === "Identifier" && MESSAGE_PROPERTIES.has(path.node.key.name)) return REASON;
      if (isMessageArgument(path)) return REASON;
      return undefined;
    },
  }),
];
