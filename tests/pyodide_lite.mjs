// Runs a Python program in real Pyodide under Node, as xlwings Lite runs Python in
// Excel: node pyodide_lite.mjs <pyodide folder> <job.json>. The job names the local
// wheels to load before micropip exists (micropip and packaging: the npm package
// holds the core alone), files to put in Pyodide's file system (Lite's /data), and
// the program, whose last expression (a string) is printed on stdout. Pyodide's own
// output goes to stderr.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [folder, jobFile] = process.argv.slice(2);
const job = JSON.parse(fs.readFileSync(jobFile, "utf8"));
const { loadPyodide } = await import(pathToFileURL(path.join(folder, "pyodide.mjs")).href);
const started = Date.now();
const log = (s) => process.stderr.write(s + "\n");
const pyodide = await loadPyodide({ indexURL: folder + path.sep, stdout: log, stderr: log });
const booted = (Date.now() - started) / 1000;
await pyodide.loadPackage(job.bootstrap, { messageCallback: log, errorCallback: log });
for (const [target, source] of Object.entries(job.files || {})) {
  pyodide.FS.mkdirTree(path.posix.dirname(target));
  pyodide.FS.writeFile(target, fs.readFileSync(source));
}
pyodide.globals.set("job_json", JSON.stringify(job));
pyodide.globals.set("booted_seconds", booted);
try {
  const out = await pyodide.runPythonAsync(job.program);
  process.stdout.write(String(out) + "\n");
} catch (error) {
  // the Python traceback alone, not the minified source Node prints around it
  process.stderr.write(String(error.message || error) + "\n");
  process.exit(1);
}
