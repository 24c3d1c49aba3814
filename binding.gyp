{
  "targets": [
    {
      "target_name": "nacs_raw",
      "sources": ["native/raw_packet.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
