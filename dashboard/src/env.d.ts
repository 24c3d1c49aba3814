/** Build flag: true in the one-file offline build (no worker file, no host to ask). */
declare const __NACS_OFFLINE__: boolean;
