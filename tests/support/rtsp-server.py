#!/usr/bin/python3
"""RTSP test server for the ingest tests and bench (GStreamer gst-rtsp-server through Python GI).

Usage: rtsp-server.py --port N [--user U --password P] MOUNT...
  MOUNT is /path=live:WxH@FPS      live moving test picture, never ends
           /path=switch:WxH,WxH@FPS live picture whose resolution alternates every 2 s
           /path=flash               live black picture that turns white for 400 ms every 0.7-1.3 s (random)
                                     and prints "FLASH <unix-ms>" at each switch to white
           /path=FILE.mp4            an H.264 MP4 played once per session (ends with EOS)
Prints "READY <port>" on stdout once listening. Needs /usr/bin/python3 with python3-gi,
gir1.2-gst-rtsp-server-1.0 and gstreamer1.0-plugins-good (openh264enc from plugins-bad).

Why live sources rather than looping a clip: measured here, re-seeking qtdemux on EOS (flushing
or not) stalls the RTP stream after the first pass, so a clip cannot loop inside one session;
a live videotestsrc + openh264enc never ends, costs ~12 % of a core at 1280x720@25, and can
change resolution mid-stream by swapping its caps (the encoder emits new SPS/PPS).
config-interval=1 re-sends SPS/PPS every second (single-slice streams, so the -1 trap does not
apply). Live mounts are shared: a reconnecting client joins the running pipeline and waits for
the next keyframe, so their GOP is half a second to keep reconnect-heavy tests quick.
"""
import argparse
import random
import sys
import time

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)

# openh264enc (gstreamer1.0-plugins-bad on Debian 12), else x264enc (plugins-ugly).
if Gst.ElementFactory.find('openh264enc'):
    ENCODER = 'openh264enc gop-size={gop} complexity=low'
else:
    ENCODER = 'x264enc tune=zerolatency speed-preset=ultrafast bframes=0 key-int-max={gop}'
ENCODE = '! videoconvert ! ' + ENCODER + ' ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )'


def raw_caps(size, fps):
    w, h = size.split('x')
    return f'video/x-raw,width={w},height={h},framerate={fps}/1'


def every(media, ms, fn):
    """Runs fn every ms while the media is alive (a shared media is re-created after the last client)."""
    def tick():
        if media.get_status() in (GstRtspServer.RTSPMediaStatus.UNPREPARED, GstRtspServer.RTSPMediaStatus.ERROR):
            return False
        fn()
        return True
    GLib.timeout_add(ms, tick)


def live_factory(spec):
    kind, rest = spec.split(':', 1)
    sizes, fps = rest.split('@')
    sizes = sizes.split(',')
    factory = GstRtspServer.RTSPMediaFactory()
    pattern = 'black' if kind == 'flash' else 'ball'
    factory.set_launch(
        f'( videotestsrc name=src is-live=true pattern={pattern} ! capsfilter name=caps caps={raw_caps(sizes[0], fps)} '
        + ENCODE.format(gop=max(1, int(fps) // 2))
    )
    factory.set_shared(True)

    def configure(_f, media):
        bin_ = media.get_element()
        if kind == 'switch':
            state = {'i': 0}

            def flip():
                state['i'] = (state['i'] + 1) % len(sizes)
                bin_.get_by_name('caps').set_property('caps', Gst.Caps.from_string(raw_caps(sizes[state['i']], fps)))
            every(media, 2000, flip)
        elif kind == 'flash':
            src = bin_.get_by_name('src')

            def white():
                if media.get_status() in (GstRtspServer.RTSPMediaStatus.UNPREPARED, GstRtspServer.RTSPMediaStatus.ERROR):
                    return False
                src.set_property('pattern', 'white')
                print(f'FLASH {int(time.time() * 1000)}', flush=True)
                GLib.timeout_add(400, lambda: src.set_property('pattern', 'black') and False)
                # Random spacing, so flashes do not stay phase-locked to a 5 fps sampling grid.
                GLib.timeout_add(random.randint(700, 1300), white)
                return False
            GLib.timeout_add(1000, white)

    factory.connect('media-configure', configure)
    return factory


def clip_factory(path):
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f'( filesrc location="{path}" ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )'
    )
    factory.set_shared(False)
    return factory


def make_factory(spec):
    if spec == 'flash':
        return live_factory('flash:640x360@25')
    if spec.startswith(('live:', 'switch:')):
        return live_factory(spec)
    return clip_factory(spec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--user')
    ap.add_argument('--password')
    ap.add_argument('mounts', nargs='*')
    args = ap.parse_args()

    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    factories = [(m.split('=', 1)[0], make_factory(m.split('=', 1)[1])) for m in args.mounts]

    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, 'user')
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ''), token)
        server.set_auth(auth)
        for _, factory in factories:
            perms = GstRtspServer.RTSPPermissions()
            perms.add_role_from_structure(Gst.Structure.new_from_string('user,media.factory.access=true,media.factory.construct=true'))
            factory.set_permissions(perms)

    for mount, factory in factories:
        mounts.add_factory(mount, factory)
    if server.attach(None) == 0:
        print(f'cannot listen on 127.0.0.1:{args.port}', file=sys.stderr, flush=True)
        sys.exit(1)
    print(f'READY {args.port}', flush=True)
    GLib.MainLoop().run()


if __name__ == '__main__':
    main()
