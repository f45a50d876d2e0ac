// pcg_reference.cpp: independent PCG32 outputs from O'Neill's C++ library (Debian
// libpcg-cpp-dev), for the bit-for-bit cross-check in tests/test_pcg32.c.
//
// Reads lines "initstate initseq count [delta]" on stdin; for each, seeds pcg32(initstate,
// initseq), advances by delta (unsigned 64-bit, so 2^64 - n goes back n) when given, and prints
// count outputs as decimal numbers, one per line.
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>

#include <pcg_random.hpp>

int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        uint64_t initstate, initseq, count, delta = 0;
        if (!(in >> initstate >> initseq >> count)) {
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            std::cerr << "pcg_reference: bad line: " << line << "\n";
            return 2;
        }
        bool advanced = static_cast<bool>(in >> delta);
        pcg32 rng(initstate, initseq);
        if (advanced) rng.advance(delta);
        for (uint64_t i = 0; i < count; i++) std::cout << rng() << "\n";
    }
    std::cout.flush();
    return std::cout ? 0 : 1;
}
