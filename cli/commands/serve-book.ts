// Serving the book from the command line until Ctrl-C (shared by `book --serve` and `start`).
import { serveBook } from "../../kernel-ext/book";

export async function serveUntilInterrupted(dir: string, port: number): Promise<void> {
  const srv = await serveBook(dir, { port });
  console.log(`\nThe course book is at ${srv.url}  (Ctrl-C stops the server)`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void srv.close().then(done);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
