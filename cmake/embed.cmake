# Turns a file into a C++ source defining a byte array and its size, so that
# web assets (the charting library) are compiled into the binary and nothing
# is fetched at run time. Usage:
#   cmake -DINPUT=file -DOUTPUT=out.cpp -DSYMBOL=name -P embed.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}"
  "// Generated from ${INPUT} by cmake/embed.cmake; do not edit.\n"
  "#include <cstddef>\n"
  "namespace exportctl::assets {\n"
  "extern const unsigned char ${SYMBOL}[];\n"
  "extern const std::size_t ${SYMBOL}_size;\n"
  "const unsigned char ${SYMBOL}[] = {${bytes}0x00};\n"
  "const std::size_t ${SYMBOL}_size = ${size};\n"
  "}  // namespace exportctl::assets\n")
