/**
 * The shutdown routine the rule's fix and the codemod write: one run-once function for both signals that
 * stops the HTTP server, lets in-flight requests finish, runs the user's cleanup, and exits 0 before the
 * platform's SIGKILL.
 */

/** How the server stops: Node's callback `close()`, Fastify's and Hapi's promise, or Nest's app. */
export type Stop = 'node' | 'fastify' | 'nest' | 'hapi';

/**
 * The hard deadline, per signal, below the platform's SIGKILL: Fly sends SIGINT and kills 5 s later,
 * Docker sends SIGTERM and kills 10 s later (Kubernetes, Heroku and Render wait 30 s).
 */
export const DEFAULT_DEADLINE_MS = { SIGTERM: 8000, SIGINT: 4000 };

export interface RoutineOptions {
  typescript: boolean;
  /** The expression naming the server (Node, Fastify, Hapi) or the Nest app. */
  server: string;
  stop: Stop;
  /** Statements (already indented by four spaces) that run at once: the user's "shutting down" log lines. */
  announce: string[];
  /** Statements (already indented by four spaces) that run after the last response: the user's cleanup. */
  cleanup: string[];
  /** The indentation of the block the routine goes in. */
  indent: string;
  deadline: { SIGTERM: number; SIGINT: number };
  quote: string;
  shutdownName: string;
  guardName: string;
}

function drainLines({ server, stop, typescript }: RoutineOptions): string[] {
  const promiseType = typescript ? '<void>' : '';
  // `app.getHttpServer()` is `any` in Nest's types: its callback's parameter needs its own.
  const nodeDrain = (target: string, errorType = ''): string[] => [
    `    const closeIdleConnections = setInterval(() => ${target}.closeIdleConnections(), 100);`,
    `    await new Promise${promiseType}((resolve, reject) => ${target}.close((error${errorType}) => (error ? reject(error) : resolve())));`,
    `    clearInterval(closeIdleConnections);`,
  ];
  switch (stop) {
    case 'fastify':
      return [
        `    // Stops accepting connections and resolves once in-flight requests have been answered; sockets kept`,
        `    // alive after their last response are closed as they turn idle, or close() waits for keepAliveTimeout.`,
        `    const closeIdleConnections = setInterval(() => ${server}.server.closeIdleConnections(), 100);`,
        `    await ${server}.close();`,
        `    clearInterval(closeIdleConnections);`,
      ];
    case 'nest':
      // Nest's own close() runs onModuleDestroy (where a PrismaService disconnects) before it stops the
      // HTTP server, and then waits for idle keep-alive sockets: measured, the database went 0.8 s before
      // the last response. So the HTTP server is drained first and app.close() runs the hooks after it.
      return [
        `    // Stop accepting connections and let in-flight requests finish (idle keep-alive sockets are closed`,
        `    // as they turn idle); only then run Nest's shutdown hooks (onModuleDestroy, onApplicationShutdown),`,
        `    // which app.close() would otherwise run while requests are still being served.`,
        `    const httpServer = ${server}.getHttpServer();`,
        ...nodeDrain('httpServer', typescript ? '?: Error' : ''),
        `    await ${server}.close();`,
      ];
    case 'hapi':
      return [`    // Stops accepting connections; requests still running after the timeout are cut.`, `    await ${server}.stop({ timeout: deadlineMs - 1000 });`];
    default:
      return [
        `    // Stop accepting connections and let in-flight requests finish; keep-alive sockets are closed as`,
        `    // soon as they turn idle, so the drain does not wait for keepAliveTimeout.`,
        ...nodeDrain(server),
      ];
  }
}

/** The routine's text, its first line unindented (it replaces or follows a statement at `indent`). */
export function routine(options: RoutineOptions): string {
  const { typescript, indent, deadline, quote: q, shutdownName, guardName } = options;
  const signalType = typescript ? ': string' : '';
  const returnType = typescript ? ': Promise<void>' : '';
  const deadlineLines =
    deadline.SIGTERM === deadline.SIGINT
      ? [`  // Exit on our own before the platform's SIGKILL if something hangs.`, `  const deadlineMs = ${deadline.SIGTERM};`]
      : [
          `  // Exit on our own if something hangs, before the platform's SIGKILL: Fly sends SIGINT and kills 5 s`,
          `  // later, Docker sends SIGTERM and kills 10 s later (Kubernetes, Heroku, Render: 30 s).`,
          `  const deadlineMs = signal === ${q}SIGINT${q} ? ${deadline.SIGINT} : ${deadline.SIGTERM};`,
        ];
  const lines = [
    `let ${guardName} = false;`,
    ``,
    `async function ${shutdownName}(signal${signalType})${returnType} {`,
    `  if (${guardName}) return;`,
    `  ${guardName} = true;`,
    ...deadlineLines,
    `  setTimeout(() => {`,
    `    console.error(\`\${signal}: shutdown took longer than \${deadlineMs} ms, exiting\`);`,
    `    process.exit(1);`,
    `  }, deadlineMs).unref();`,
    `  try {`,
    ...options.announce,
    ...drainLines(options),
    ...options.cleanup,
    `    process.exit(0);`,
    `  } catch (error) {`,
    `    console.error(\`\${signal}: shutdown failed\`, error);`,
    `    process.exit(1);`,
    `  }`,
    `}`,
    ``,
    `// Docker, Kubernetes, Railway, Render and Heroku send SIGTERM; Fly sends SIGINT.`,
    `process.on(${q}SIGTERM${q}, () => void ${shutdownName}(${q}SIGTERM${q}));`,
    `process.on(${q}SIGINT${q}, () => void ${shutdownName}(${q}SIGINT${q}));`,
  ];
  return lines.map((line, index) => (index === 0 || line === '' ? line : indent + line)).join('\n');
}

/** `wanted`, or `wanted2`, `wanted3`… when the text already uses the name. */
export function freeName(text: string, wanted: string): string {
  const used = (name: string): boolean => new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(text);
  if (!used(wanted)) return wanted;
  for (let suffix = 2; ; suffix++) if (!used(`${wanted}${suffix}`)) return `${wanted}${suffix}`;
}
