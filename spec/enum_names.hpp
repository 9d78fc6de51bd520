#pragma once
// One way to name enum values: a constexpr table of {value, name} pairs, looked up both ways.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mechcheck {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

template <class E, std::size_t N>
constexpr std::string_view name_of(const EnumName<E> (&table)[N], E value) {
  for (const EnumName<E>& entry : table)
    if (entry.value == value) return entry.name;
  return "?";
}

template <class E, std::size_t N>
constexpr std::optional<E> value_of(const EnumName<E> (&table)[N], std::string_view name) {
  for (const EnumName<E>& entry : table)
    if (entry.name == name) return entry.value;
  return std::nullopt;
}

// "a, b or c": the accepted names, for error messages.
template <class E, std::size_t N>
std::string names_list(const EnumName<E> (&table)[N]) {
  std::string out;
  for (std::size_t k = 0; k < N; ++k) {
    if (k > 0) out += k + 1 == N ? " or " : ", ";
    out += table[k].name;
  }
  return out;
}

}  // namespace mechcheck
