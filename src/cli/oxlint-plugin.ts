/**
 * The plugin as `deploy-safe check` hands it to oxlint (a `jsPlugins` entry of a generated config):
 * the same rules, with each report's message id written in front of its message. oxlint's JSON output
 * has no message id, and `check --format json` prints it; the id is cut off again in oxlint.ts.
 * Users' own oxlint configs load the plugin itself (oxlint/recommended.json), not this module.
 */
import plugin from '../index';
import { MESSAGE_ID_SEPARATOR } from './oxlint-message';

interface Descriptor {
  messageId?: string;
  message?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

interface Context {
  report(descriptor: Descriptor): void;
}

interface Rule {
  meta?: { messages?: Record<string, string> };
  create(context: Context): unknown;
}

const PLACEHOLDER = /\{\{([^{}]+?)\}\}/g;

/** ESLint's interpolation of `data` into a message (lib/linter/interpolate.js), so the text is ESLint's own. */
function interpolate(text: string, data: Record<string, unknown> | undefined): string {
  if (!data) return text;
  return text.replace(PLACEHOLDER, (match, term: string) => (term.trim() in data ? String(data[term.trim()]) : match));
}

function withMessageIds(rule: Rule): Rule {
  return {
    ...rule,
    create(context) {
      const report = (descriptor: Descriptor): void => {
        const { messageId, data, ...rest } = descriptor;
        const template = messageId === undefined ? undefined : rule.meta?.messages?.[messageId];
        if (messageId === undefined || template === undefined) {
          context.report(descriptor);
          return;
        }
        context.report({ ...rest, message: `${messageId}${MESSAGE_ID_SEPARATOR}${interpolate(template, data)}` });
      };
      // A plain target: oxlint's context may be frozen, and a Proxy cannot answer for a frozen object's
      // own property with another value. Methods are bound to the real context.
      const proxy = new Proxy(
        {},
        {
          get(_target, key) {
            if (key === 'report') return report;
            const value: unknown = Reflect.get(context, key);
            return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(context) : value;
          },
          has: (_target, key) => Reflect.has(context, key),
        },
      ) as Context;
      return rule.create(proxy);
    },
  };
}

const rules = plugin.rules as unknown as Record<string, Rule>;

export = {
  meta: plugin.meta,
  rules: Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, withMessageIds(rule)])),
};
