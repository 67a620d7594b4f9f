/* Wine 8 has no bcryptprimitives.dll; pywinpty's Rust code imports ProcessPrng from it.
   This stub answers ProcessPrng with RtlGenRandom (advapi32's SystemFunction036).
   Built by scripts/build-windows into the Wine prefix only; never shipped. */
#include <windows.h>
typedef BOOLEAN (WINAPI *rtlgenrandom_t)(PVOID, ULONG);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    static rtlgenrandom_t gen;
    if (!gen) gen = (rtlgenrandom_t)GetProcAddress(LoadLibraryA("advapi32.dll"), "SystemFunction036");
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!gen || !gen(data, chunk)) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}
