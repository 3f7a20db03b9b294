#include <cstdio>
int main() { std::puts("chantal " CHANTAL_VERSION); return 0; }
