/**
 * Loaded with `node --import` into the `@portkey-ai/gateway` process of bench/gateway, before Portkey's
 * own code. Portkey's `start-server.js` takes only `--port=` and calls @hono/node-server's
 * `serve({ fetch, port })` without a hostname, which listens on every interface; this module makes every
 * server of the process listen on 127.0.0.1 instead, refuses outbound connections to anything but
 * loopback (the gateway runs offline), tells the parent (over IPC) the address it listens on and, when
 * asked, the connections it refused (`offline`), the CPU time it has used (`cpu`) or a CPU profile (`profile-start`, `profile-stop`, into the file
 * `BENCH_CPU_PROFILE` names), and exits when the parent says `stop` or goes away.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import net from 'node:net';

const LOOPBACK = '127.0.0.1';
const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (typeof first === 'object' && first !== null && 'port' in first) {
    args[0] = { ...first, host: LOOPBACK };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port, host?, backlog?, callback?): the host goes second, replacing any given.
    const hostGiven =
      args.length > 1 && (typeof second === 'string' || second === undefined || second === null);
    if (hostGiven) args[1] = LOOPBACK;
    else args.splice(1, 0, LOOPBACK);
  } else if (first === undefined || typeof first === 'function') {
    args.splice(0, first === undefined ? 1 : 0, 0, LOOPBACK);
  }
  this.once('listening', () => process.send?.({ type: 'ready', address: this.address() }));
  return listen.apply(this, args);
};

/** Hosts of the outbound connections refused, reported to the parent when it asks (`offline`). */
const refused = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connectToLoopbackOnly(...args) {
  const [first, second] = args;
  const options = Array.isArray(first) ? first[0] : first;
  const host =
    typeof options === 'object' && options !== null
      ? 'path' in options && options.path !== undefined
        ? LOOPBACK
        : (options.host ?? 'localhost')
      : typeof second === 'string'
        ? second
        : 'localhost';
  if (!loopbackHosts.has(String(host))) {
    refused.push(String(host));
    process.stderr.write(`bench: refused an outbound connection to ${String(host)} (offline run)\n`);
    throw new Error(`outbound connection to ${String(host)} refused: this benchmark runs offline`);
  }
  return connect.apply(this, args);
};

let profiler;
const profileFile = process.env.BENCH_CPU_PROFILE;

/** The answers bench/gateway's `answerParent` gives in its TypeScript children, for this plain-Node one. */
async function answer(type) {
  if (type === 'cpu') {
    const usage = process.cpuUsage();
    return { ms: (usage.user + usage.system) / 1_000 };
  }
  if (type === 'offline') return { refused };
  if (type === 'profile-start' && profileFile !== undefined) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return { file: profileFile };
  }
  if (type === 'profile-stop' && profiler !== undefined) {
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = undefined;
    await writeFile(profileFile, JSON.stringify(profile));
    return { file: profileFile };
  }
  return undefined;
}

process.on('message', (message) => {
  if (message?.type === 'stop') process.exit(0);
  answer(message?.type).then(
    (fields) => {
      if (fields !== undefined) process.send?.({ ...fields, type: message.type });
    },
    (error) => process.send?.({ type: message.type, error: String(error) }),
  );
});
process.once('disconnect', () => process.exit(0));
