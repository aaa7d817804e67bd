package io.roost.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP forwarder for tests: {@code 127.0.0.1:port()} to a target port, so a test can cut
 * a client's connection while its session lives on. {@link #dropConnections()} closes every open
 * client/server socket pair but keeps listening, so clients reconnect; {@link #pause()} makes the
 * proxy refuse new connections (accepted and closed at once) until {@link #resume()}.
 *
 * <p>Test code only: one acceptor thread and two daemon pump threads per forwarded connection,
 * at most {@value #MAX_CONNECTIONS} connections at a time. {@link #close()} stops everything.
 */
public final class TcpProxy implements AutoCloseable {
  /** Connections beyond this many open at once are refused. */
  public static final int MAX_CONNECTIONS = 32;
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int BUFFER_SIZE = 8192;

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Object lock = new Object();
  /** Open pairs; guarded by {@link #lock}. */
  private final Set<Pair> pairs = new HashSet<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger forwarded = new AtomicInteger();
  /** Guarded by {@link #lock}. */
  private boolean paused;
  /** Guarded by {@link #lock}. */
  private boolean closed;

  /** Starts forwarding from a fresh loopback port to {@code 127.0.0.1:targetPort}. */
  public TcpProxy(int targetPort) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    this.target = new InetSocketAddress(loopback, targetPort);
    this.listener = new ServerSocket(0, 50, loopback);
    this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** A ZooKeeper connect string that goes through this proxy. */
  public String connectString() {
    return "127.0.0.1:" + port();
  }

  /** From now on, new connections are closed as soon as they are accepted. */
  public void pause() {
    synchronized (lock) {
      paused = true;
    }
  }

  /** New connections are forwarded again. */
  public void resume() {
    synchronized (lock) {
      paused = false;
    }
  }

  /**
   * Closes every forwarded connection, both the client's and the server's socket, and keeps
   * listening. Once this returns no connection accepted earlier forwards another byte.
   */
  public void dropConnections() {
    List<Pair> toClose;
    synchronized (lock) {
      toClose = new ArrayList<>(pairs);
      pairs.clear();
    }
    for (Pair p : toClose) {
      p.close();
    }
  }

  /** Number of connections being forwarded now. */
  public int openConnections() {
    synchronized (lock) {
      return pairs.size();
    }
  }

  /** Number of connections accepted so far, refused ones included. */
  public int acceptedCount() {
    return accepted.get();
  }

  /** Number of connections forwarded to the target so far. */
  public int forwardedCount() {
    return forwarded.get();
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    closeQuietly(listener);
    dropConnections();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (true) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        synchronized (lock) {
          if (closed) {
            return;
          }
        }
        continue;
      }
      accepted.incrementAndGet();
      if (refusing()) {
        closeQuietly(client);
        continue;
      }
      Socket server = new Socket();
      try {
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        server.connect(target, CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      Pair pair = new Pair(client, server);
      synchronized (lock) {
        // Checked again under the lock: a pause() + dropConnections() that ran while we were
        // connecting upstream must not leave this pair alive.
        if (closed || paused || pairs.size() >= MAX_CONNECTIONS) {
          pair.close();
          continue;
        }
        pairs.add(pair);
      }
      forwarded.incrementAndGet();
      pair.start();
    }
  }

  private boolean refusing() {
    synchronized (lock) {
      return closed || paused || pairs.size() >= MAX_CONNECTIONS;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  /** One forwarded connection: the client's socket, the server's socket and two pumps. */
  private final class Pair {
    private final Socket client;
    private final Socket server;

    Pair(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      pump(client, server, "c2s");
      pump(server, client, "s2c");
    }

    private void pump(Socket from, Socket to, String direction) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[BUFFER_SIZE];
        try {
          InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream();
          int n;
          while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
          }
        } catch (IOException e) {
          // either side went away
        } finally {
          synchronized (lock) {
            pairs.remove(this);
          }
          close();
        }
      }, "tcp-proxy-" + direction + "-" + from.getPort());
      t.setDaemon(true);
      t.start();
    }

    void close() {
      closeQuietly(client);
      closeQuietly(server);
    }
  }
}
