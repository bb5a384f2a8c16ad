// Compatibility shim for TorchSharp's libLibTorchSharp.so on systems whose
// libstdc++ predates GCC 13 (e.g. Debian 12: GCC 12, max GLIBCXX_3.4.30).
//
// Code compiled against GCC 13's <iostream> no longer creates a static
// std::ios_base::Init object in every translation unit. Instead it only
// references std::ios_base_library_init() (GLIBCXX_3.4.32), a dummy symbol
// whose sole purpose is to make the dynamic linker pull in a libstdc++ that
// initialises the standard streams (std::cout & co.) by itself.
//
// TorchSharpDebian12.targets strips the symbol version from that reference,
// marks the GLIBCXX_3.4.32 requirement as weak and adds this library as a
// DT_NEEDED dependency of libLibTorchSharp.so. We provide the symbol and, as
// GCC 12's libstdc++ does not initialise the streams on its own, we hold a
// static std::ios_base::Init exactly like pre-GCC-13 <iostream> did. Being a
// dependency, this library is initialised before libLibTorchSharp.so.
#include <ios>

namespace
{
    // Constructs std::cout/cin/cerr/clog (and wide variants) on load,
    // flushes them on unload. Reference-counted by libstdc++, so harmless
    // if something else initialises the streams as well.
    std::ios_base::Init torchsharp_compat_ios_init;
}

namespace std
{
    // Mangles to _ZSt21ios_base_library_initv. Never actually called; it
    // only has to exist so the (now unversioned) reference resolves.
    __attribute__((visibility("default"))) void ios_base_library_init() {}
}
