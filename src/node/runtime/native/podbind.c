/*
 * podbind: an LD_PRELOAD shim for pod processes in loopback network mode.
 *
 * Every pod shares the host's network stack, so a pod program's outgoing connection to a 127.x
 * address would leave from 127.0.0.1 unless the program binds its pod IP itself. This shim binds
 * an unbound IPv4 socket to $POD_IP just before connect() to a 127.0.0.0/8 destination, so
 * Services see each pod as its own client: ClientIP affinity, traffic policies and source IP
 * preservation then work for any program (busybox wget, redis-cli, ...), as with a real pod network.
 *
 * It never changes a socket the program bound itself, never touches other destinations, and if
 * the bind fails the connect goes ahead unchanged (errno preserved).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);

static void bind_pod_ip(int fd, const struct sockaddr *addr) {
  if (addr == NULL || addr->sa_family != AF_INET) return;
  const struct sockaddr_in *dst = (const struct sockaddr_in *)addr;
  if ((ntohl(dst->sin_addr.s_addr) >> 24) != 127) return;
  const char *ip = getenv("POD_IP");
  if (ip == NULL || *ip == '\0') return;
  struct sockaddr_in local;
  socklen_t len = sizeof local;
  memset(&local, 0, sizeof local);
  if (getsockname(fd, (struct sockaddr *)&local, &len) != 0) return;
  if (local.sin_family != AF_INET || local.sin_port != 0 || local.sin_addr.s_addr != htonl(INADDR_ANY)) return;
  struct sockaddr_in src;
  memset(&src, 0, sizeof src);
  src.sin_family = AF_INET;
  if (inet_pton(AF_INET, ip, &src.sin_addr) != 1) return;
  int saved = errno;
  (void)bind(fd, (const struct sockaddr *)&src, sizeof src);
  errno = saved;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  static connect_fn real_connect;
  if (real_connect == NULL) real_connect = (connect_fn)dlsym(RTLD_NEXT, "connect");
  bind_pod_ip(fd, addr);
  return real_connect(fd, addr, len);
}
