/*
 * nacs_raw: a minimal Linux AF_PACKET socket for Node-API (issue 5 §3, raw Ethernet for SLAC).
 *
 * JS API (wrapped by src/link/raw/raw-socket.ts, which is the only user):
 *   open(ifname: string, etherType: number, onFrame: (frame: Buffer, outgoing: boolean) => void)
 *     -> { handle, ifindex, mac: Buffer }
 *       socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(etherType)), bound to the interface,
 *       watched by a uv_poll_t on Node's own event loop: every readable event drains the socket and calls
 *       onFrame on the JS thread with a copy of each frame (Ethernet header included, no FCS).
 *   send(handle, frame: Uint8Array) -> bytes sent      (whole Ethernet frame, header included)
 *   close(handle)                                      (idempotent)
 *   ref(handle) / unref(handle)                        (keep / stop keeping the event loop alive)
 *   interfaceInfo(ifname) -> { ifindex, mac: Buffer, mtu }
 * Errors are thrown as Error objects with `code` set to the errno name (e.g. "EPERM", "ENODEV") and
 * `syscall` naming the call. Needs root or CAP_NET_RAW. On non-Linux systems every call throws
 * code "ENOTSUP".
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>
#endif

#define MAX_FRAME 65536

static napi_value throw_errno(napi_env env, const char* syscall, int err) {
  char msg[256];
#ifdef __linux__
  snprintf(msg, sizeof msg, "%s: %s", syscall, strerror(err));
  const char* code = err == EPERM    ? "EPERM"
                     : err == EACCES ? "EACCES"
                     : err == ENODEV ? "ENODEV"
                     : err == ENXIO  ? "ENXIO"
                     : err == EBADF  ? "EBADF"
                     : err == EMSGSIZE ? "EMSGSIZE"
                     : err == ENETDOWN ? "ENETDOWN"
                     : err == ENOBUFS ? "ENOBUFS"
                     : err == EAGAIN ? "EAGAIN"
                     : err == EINVAL ? "EINVAL"
                     : "EIO";
#else
  (void)err;
  snprintf(msg, sizeof msg, "%s: raw Ethernet (AF_PACKET) is only available on Linux", syscall);
  const char* code = "ENOTSUP";
#endif
  napi_value m, c, e, s;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &c);
  napi_create_error(env, c, m, &e);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, e, "syscall", s);
  napi_set_named_property(env, e, "code", c);
  napi_throw(env, e);
  return NULL;
}

static napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return NULL;
}

#ifdef __linux__

typedef struct sock_s {
  napi_env env;
  int fd;
  int closing;
  int refed;
  uv_poll_t poll;
  napi_ref on_frame;
  napi_async_context async_ctx;
  unsigned char* buf;
} sock_t;

static void after_close(uv_handle_t* h) {
  sock_t* s = (sock_t*)h->data;
  free(s->buf);
  free(s);
}

static void do_close(sock_t* s) {
  if (s->closing) return;
  s->closing = 1;
  uv_poll_stop(&s->poll);
  if (s->on_frame != NULL) {
    napi_delete_reference(s->env, s->on_frame);
    s->on_frame = NULL;
  }
  if (s->async_ctx != NULL) {
    napi_async_destroy(s->env, s->async_ctx);
    s->async_ctx = NULL;
  }
  close(s->fd);
  s->fd = -1;
  uv_close((uv_handle_t*)&s->poll, after_close);
}

static void cleanup_hook(void* arg) { do_close((sock_t*)arg); }

static void on_readable(uv_poll_t* h, int status, int events) {
  sock_t* s = (sock_t*)h->data;
  (void)events;
  if (s->closing) return;
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, global, resource;
  napi_get_reference_value(env, s->on_frame, &cb);
  napi_get_global(env, &global);
  if (status < 0) {
    napi_close_handle_scope(env, scope);
    return;
  }
  /* A callback scope, as for any Node I/O callback: process.nextTick and promise jobs queued by the
     handler run when it closes, not only at the next unrelated timer. */
  napi_callback_scope cscope;
  napi_create_object(env, &resource);
  if (napi_open_callback_scope(env, resource, s->async_ctx, &cscope) != napi_ok) {
    napi_close_handle_scope(env, scope);
    return;
  }
  /* Drain what is queued now, bounded so one busy socket cannot starve the loop. */
  for (int i = 0; i < 256 && !s->closing; i++) {
    struct sockaddr_ll from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(s->fd, s->buf, MAX_FRAME, MSG_TRUNC, (struct sockaddr*)&from, &fl);
    if (n < 0) break; /* EAGAIN (drained) or a transient error: wait for the next readable event */
    if (n > MAX_FRAME) n = MAX_FRAME;
    napi_value argv[2];
    void* data;
    napi_create_buffer_copy(env, (size_t)n, s->buf, &data, &argv[0]);
    napi_get_boolean(env, from.sll_pkttype == PACKET_OUTGOING, &argv[1]);
    napi_value result;
    napi_status st = napi_call_function(env, global, cb, 2, argv, &result);
    if (st == napi_pending_exception) {
      napi_value err;
      napi_get_and_clear_last_exception(env, &err);
      napi_fatal_exception(env, err);
      break;
    }
  }
  napi_close_callback_scope(env, cscope);
  napi_close_handle_scope(env, scope);
}

static int get_string(napi_env env, napi_value v, char* out, size_t cap) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, out, cap, &len) != napi_ok) return -1;
  if (len == 0 || len >= IFNAMSIZ) return -1;
  return 0;
}

static int iface_info(const char* ifname, int* ifindex, unsigned char mac[6], int* mtu, const char** failed) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *failed = "socket(AF_INET)";
    return errno;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
    int e = errno;
    close(fd);
    *failed = "ioctl(SIOCGIFINDEX)";
    return e;
  }
  *ifindex = ifr.ifr_ifindex;
  if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
    int e = errno;
    close(fd);
    *failed = "ioctl(SIOCGIFHWADDR)";
    return e;
  }
  memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
  if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
    int e = errno;
    close(fd);
    *failed = "ioctl(SIOCGIFMTU)";
    return e;
  }
  *mtu = ifr.ifr_mtu;
  close(fd);
  return 0;
}

static napi_value info_object(napi_env env, int ifindex, const unsigned char mac[6], int mtu) {
  napi_value o, v;
  void* data;
  napi_create_object(env, &o);
  napi_create_int32(env, ifindex, &v);
  napi_set_named_property(env, o, "ifindex", v);
  napi_create_buffer_copy(env, 6, mac, &data, &v);
  napi_set_named_property(env, o, "mac", v);
  napi_create_int32(env, mtu, &v);
  napi_set_named_property(env, o, "mtu", v);
  return o;
}

static napi_value js_interface_info(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char ifname[IFNAMSIZ + 1];
  if (argc < 1 || get_string(env, argv[0], ifname, sizeof ifname) < 0)
    return throw_type(env, "interfaceInfo: ifname must be a string of 1..15 bytes");
  int ifindex, mtu;
  unsigned char mac[6];
  const char* failed = NULL;
  int e = iface_info(ifname, &ifindex, mac, &mtu, &failed);
  if (e != 0) return throw_errno(env, failed, e);
  return info_object(env, ifindex, mac, mtu);
}

static sock_t* get_sock(napi_env env, napi_value v) {
  void* p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok) return NULL;
  return (sock_t*)p;
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char ifname[IFNAMSIZ + 1];
  if (argc < 3 || get_string(env, argv[0], ifname, sizeof ifname) < 0)
    return throw_type(env, "open: ifname must be a string of 1..15 bytes");
  uint32_t ethertype;
  if (napi_get_value_uint32(env, argv[1], &ethertype) != napi_ok || ethertype > 0xffff)
    return throw_type(env, "open: etherType must be an integer 0..65535");
  napi_valuetype t;
  napi_typeof(env, argv[2], &t);
  if (t != napi_function) return throw_type(env, "open: onFrame must be a function");

  int ifindex, mtu;
  unsigned char mac[6];
  const char* failed = NULL;
  int e = iface_info(ifname, &ifindex, mac, &mtu, &failed);
  if (e != 0) return throw_errno(env, failed, e);

  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons((uint16_t)ethertype));
  if (fd < 0) return throw_errno(env, "socket(AF_PACKET, SOCK_RAW)", errno);
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons((uint16_t)ethertype);
  sll.sll_ifindex = ifindex;
  if (bind(fd, (struct sockaddr*)&sll, sizeof sll) < 0) {
    int be = errno;
    close(fd);
    return throw_errno(env, "bind(AF_PACKET)", be);
  }

  sock_t* s = (sock_t*)calloc(1, sizeof(sock_t));
  s->buf = (unsigned char*)malloc(MAX_FRAME);
  s->env = env;
  s->fd = fd;
  s->refed = 1;
  uv_loop_t* loop;
  napi_get_uv_event_loop(env, &loop);
  int r = uv_poll_init_socket(loop, &s->poll, fd);
  if (r != 0) {
    close(fd);
    free(s->buf);
    free(s);
    return throw_errno(env, "uv_poll_init", -r);
  }
  s->poll.data = s;
  napi_create_reference(env, argv[2], 1, &s->on_frame);
  napi_value res_name;
  napi_create_string_utf8(env, "nacs_raw.recv", NAPI_AUTO_LENGTH, &res_name);
  napi_async_init(env, NULL, res_name, &s->async_ctx);
  uv_poll_start(&s->poll, UV_READABLE, on_readable);
  napi_add_env_cleanup_hook(env, cleanup_hook, s);

  napi_value o, h;
  napi_create_external(env, s, NULL, NULL, &h);
  o = info_object(env, ifindex, mac, mtu);
  napi_set_named_property(env, o, "handle", h);
  return o;
}

static napi_value js_send(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  sock_t* s = argc >= 1 ? get_sock(env, argv[0]) : NULL;
  if (s == NULL) return throw_type(env, "send: bad handle");
  if (s->closing) return throw_errno(env, "send", EBADF);
  bool is_ta = false;
  if (argc < 2 || napi_is_typedarray(env, argv[1], &is_ta) != napi_ok || !is_ta)
    return throw_type(env, "send: frame must be a Uint8Array");
  napi_typedarray_type tt;
  size_t len;
  void* data;
  napi_get_typedarray_info(env, argv[1], &tt, &len, &data, NULL, NULL);
  if (tt != napi_uint8_array && tt != napi_uint8_clamped_array)
    return throw_type(env, "send: frame must be a Uint8Array");
  ssize_t n = send(s->fd, data, len, 0);
  if (n < 0) return throw_errno(env, "send(AF_PACKET)", errno);
  napi_value out;
  napi_create_int64(env, (int64_t)n, &out);
  return out;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  sock_t* s = argc >= 1 ? get_sock(env, argv[0]) : NULL;
  if (s == NULL) return throw_type(env, "close: bad handle");
  if (!s->closing) {
    napi_remove_env_cleanup_hook(env, cleanup_hook, s);
    do_close(s);
  }
  return NULL;
}

static napi_value set_ref(napi_env env, napi_callback_info info, int on) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  sock_t* s = argc >= 1 ? get_sock(env, argv[0]) : NULL;
  if (s == NULL) return throw_type(env, "ref/unref: bad handle");
  if (s->closing) return NULL;
  if (on) uv_ref((uv_handle_t*)&s->poll);
  else uv_unref((uv_handle_t*)&s->poll);
  s->refed = on;
  return NULL;
}
static napi_value js_ref(napi_env env, napi_callback_info info) { return set_ref(env, info, 1); }
static napi_value js_unref(napi_env env, napi_callback_info info) { return set_ref(env, info, 0); }

#else /* not Linux: every call reports ENOTSUP */

static napi_value unsupported(napi_env env, napi_callback_info info) {
  (void)info;
  return throw_errno(env, "AF_PACKET", 0);
}
#define js_open unsupported
#define js_send unsupported
#define js_close unsupported
#define js_ref unsupported
#define js_unref unsupported
#define js_interface_info unsupported

#endif

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
      {"ref", NULL, js_ref, NULL, NULL, NULL, napi_default, NULL},
      {"unref", NULL, js_unref, NULL, NULL, NULL, napi_default, NULL},
      {"interfaceInfo", NULL, js_interface_info, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
